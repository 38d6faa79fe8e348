package io.vpncloud.core.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vpncloud.api.IpRange;
import io.vpncloud.core.testing.AllocationMeter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The routing rules of PROTOCOL.md §9 and the packet parsing of the lookup. */
class ClaimRouterTest {

    private final ClaimRouter<String> router = new ClaimRouter<>();

    @Test
    void mostSpecificPrefixWins() {
        router.setClaims("wide", ranges("10.0.0.0/8"));
        router.setClaims("narrow", ranges("10.1.0.0/16"));

        assertEquals("narrow", lookup("10.1.2.3"));
        assertEquals("wide", lookup("10.2.2.3"));
        assertNull(lookup("11.0.0.1"));
    }

    @Test
    void hostClaimBeatsSlash31ForTheSameAddressWhateverTheOrder() {
        router.setClaims("pair", ranges("10.0.0.2/31"));
        router.setClaims("host", ranges("10.0.0.3/32"));

        assertEquals("host", lookup("10.0.0.3"));
        assertEquals("pair", lookup("10.0.0.2"));
    }

    @Test
    void firstLearnedWinsAmongEqualPrefixes() {
        router.setClaims("first", ranges("10.0.0.1/32"));
        router.setClaims("second", ranges("10.0.0.1/32"));
        router.setClaims("third", ranges("10.0.0.1/32"));

        assertEquals("first", lookup("10.0.0.1"));
        assertEquals(List.of("first", "second", "third"), router.claimants(IpRange.parse("10.0.0.1/32")));
    }

    @Test
    void removalPromotesTheNextClaimantAndReportsIt() {
        router.setClaims("first", ranges("10.0.0.1/32", "10.9.0.0/16"));
        router.setClaims("second", ranges("10.0.0.1/32"));
        router.setClaims("third", ranges("10.0.0.1/32"));

        List<OwnerChange<String>> changes = router.removePeer("first");

        assertEquals("second", lookup("10.0.0.1"));
        assertNull(lookup("10.9.1.1"));
        assertEquals(Set.of(
                new OwnerChange<>(IpRange.parse("10.0.0.1/32"), "first", "second"),
                new OwnerChange<>(IpRange.parse("10.9.0.0/16"), "first", null)), Set.copyOf(changes));
        assertEquals(2, changes.size());
    }

    @Test
    void removingALaterClaimantChangesNoOwner() {
        router.setClaims("first", ranges("10.0.0.1/32"));
        router.setClaims("second", ranges("10.0.0.1/32"));

        assertEquals(List.of(), router.removePeer("second"));
        assertEquals("first", lookup("10.0.0.1"));
    }

    @Test
    void peerChangingItsClaimsKeepsItsPlaceForTheClaimsItKeeps() {
        router.setClaims("first", ranges("10.0.0.1/32", "10.0.0.2/32"));
        router.setClaims("second", ranges("10.0.0.1/32", "10.0.0.2/32"));

        List<OwnerChange<String>> changes = router.setClaims("first", ranges("10.0.0.5/32", "10.0.0.1/32"));

        assertEquals("first", lookup("10.0.0.1"));
        assertEquals("second", lookup("10.0.0.2"));
        assertEquals("first", lookup("10.0.0.5"));
        assertEquals(Set.of(
                new OwnerChange<>(IpRange.parse("10.0.0.2/32"), "first", "second"),
                new OwnerChange<>(IpRange.parse("10.0.0.5/32"), null, "first")), Set.copyOf(changes));
    }

    @Test
    void droppedAndRegainedClaimJoinsAtTheEnd() {
        router.setClaims("first", ranges("10.0.0.1/32"));
        router.setClaims("second", ranges("10.0.0.1/32"));
        router.setClaims("first", ranges());
        router.setClaims("first", ranges("10.0.0.1/32"));

        assertEquals(List.of("second", "first"), router.claimants(IpRange.parse("10.0.0.1/32")));
    }

    @Test
    void hostBitsOfAClaimAreIgnored() {
        router.setClaims("a", ranges("10.0.0.77/24"));
        router.setClaims("b", ranges("10.0.0.0/24", "10.0.0.1/24"));

        assertEquals(List.of("a", "b"), router.claimants(IpRange.parse("10.0.0.0/24")));
        assertEquals(Set.of(IpRange.parse("10.0.0.0/24")), router.claimsOf("b"));
        assertEquals(2, router.claimCount());
    }

    @Test
    void defaultRouteAndIpv6() {
        router.setClaims("default", ranges("0.0.0.0/0", "::/0"));
        router.setClaims("site", ranges("fd00::/64"));
        router.setClaims("host", ranges("fd00::1/128"));

        assertEquals("default", lookup("192.168.1.1"));
        assertEquals("default", lookup("2001:db8::1"));
        assertEquals("site", lookup("fd00::2"));
        assertEquals("host", lookup("fd00::1"));
    }

    @Test
    void macClaimsAreRoutedByAddressLength() {
        router.setClaims("mac", List.of(new IpRange(new byte[] {2, 0, 0, 0, 0, 1}, 48)));
        router.setClaims("vlan", List.of(new IpRange(new byte[] {0, 7, 2, 0, 0, 0, 0, 1}, 16)));

        assertEquals("mac", router.lookup(new byte[] {2, 0, 0, 0, 0, 1}));
        assertNull(router.lookup(new byte[] {2, 0, 0, 0, 0, 2}));
        assertEquals("vlan", router.lookup(new byte[] {0, 7, 9, 9, 9, 9, 9, 9}));
        assertNull(router.lookup(new byte[] {0, 7, 9}));
    }

    @Test
    void tableListsEachFamilyMostSpecificFirstWithClaimantsInOrder() {
        router.setClaims("a", ranges("10.0.0.0/8", "10.0.0.1/32"));
        router.setClaims("b", ranges("10.0.0.1/32", "10.0.0.0/24", "fd00::/64"));

        assertEquals(List.of(
                new ClaimEntry<>(IpRange.parse("10.0.0.1/32"), List.of("a", "b")),
                new ClaimEntry<>(IpRange.parse("10.0.0.0/24"), List.of("b")),
                new ClaimEntry<>(IpRange.parse("10.0.0.0/8"), List.of("a")),
                new ClaimEntry<>(IpRange.parse("fd00::/64"), List.of("b"))), router.table());
    }

    @Test
    void readsIpv4DestinationAtTheBufferPositionWithoutMovingIt() {
        router.setClaims("peer", ranges("10.0.0.9/32"));
        ByteBuffer buffer = ByteBuffer.allocate(64);
        buffer.position(7);
        buffer.put(ipv4Packet("10.0.0.9")).flip().position(7);

        assertEquals("peer", router.lookup(buffer));
        assertEquals(7, buffer.position());
        assertEquals(27, buffer.limit());
    }

    @Test
    void readsIpv6DestinationWhateverTheBufferByteOrder() {
        router.setClaims("peer", ranges("fd00::9/128"));
        ByteBuffer buffer = ByteBuffer.wrap(ipv6Packet("fd00::9")).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer direct = ByteBuffer.allocateDirect(40).put(ipv6Packet("fd00::9")).flip();

        assertEquals("peer", router.lookup(buffer));
        assertEquals("peer", router.lookup(direct));
    }

    @Test
    void shortOrUnknownPacketsMatchNothing() {
        router.setClaims("everything", ranges("0.0.0.0/0", "::/0"));
        byte[] v4 = ipv4Packet("10.0.0.1");
        byte[] v6 = ipv6Packet("fd00::1");

        assertNull(router.lookup(ByteBuffer.wrap(v4, 0, 19)));
        assertNull(router.lookup(ByteBuffer.wrap(v6, 0, 39)));
        assertNull(router.lookup(ByteBuffer.allocate(0)));
        v4[0] = 0x55;
        assertNull(router.lookup(ByteBuffer.wrap(v4)));
        assertEquals("everything", router.lookup(ByteBuffer.wrap(v6)));
    }

    @Test
    void lookupsAllocateNothing() {
        router.setClaims("v4", ranges("10.0.0.0/8", "10.0.0.9/32"));
        router.setClaims("v6", ranges("fd00::/64"));
        ByteBuffer v4 = ByteBuffer.allocateDirect(20).put(ipv4Packet("10.0.0.9")).flip();
        ByteBuffer v6 = ByteBuffer.wrap(ipv6Packet("fd00::7"));
        byte[] address = IpRange.parse("10.1.2.3").address();

        long allocated = AllocationMeter.bytesAllocatedBy(() -> {
            for (int i = 0; i < 100_000; i++) {
                router.lookup(v4);
                router.lookup(v6);
                router.lookup(address);
            }
        });

        assertTrue(allocated < 1024, allocated + " bytes allocated by 300,000 lookups");
    }

    @Test
    void spreadLookupsAllocateNothing() {
        router.setClaims("a", ranges("10.0.0.1/32", "fd00::1/128"));
        router.setClaims("b", ranges("10.0.0.1/32", "fd00::1/128"));
        router.setClaims("c", ranges("10.0.0.1/32"));
        ByteBuffer v4 = FlowPackets.ipv4("10.0.0.100", "10.0.0.1", FlowHash.TCP, 40000, 80, 0);
        ByteBuffer v6 = FlowPackets.ipv6("fd00::100", "fd00::1", FlowHash.UDP, 40000, 53);

        long allocated = AllocationMeter.bytesAllocatedBy(() -> {
            for (int i = 0; i < 100_000; i++) {
                v4.putShort(20, (short) i);
                router.lookupFlow(v4);
                router.lookupFlow(v6);
            }
        });

        // Any allocation per lookup would be at least 16 bytes each, 3.2 MB in all; the JVM's own bookkeeping while it
        // compiles the loop (measured up to about a kilobyte) is far below the bound.
        assertTrue(allocated < 64 * 1024, allocated + " bytes allocated by 200,000 spread lookups");
    }

    @Test
    void spreadingChoosesAmongTheClaimantsOfTheMostSpecificPrefixOnly() {
        router.setClaims("wide", ranges("10.0.0.0/24"));
        router.setClaims("a", ranges("10.0.0.1/32"));
        router.setClaims("b", ranges("10.0.0.1/32"));
        Set<String> chosen = new java.util.HashSet<>();
        for (int port = 1000; port < 1100; port++) {
            chosen.add(router.lookupFlow(FlowPackets.ipv4("10.0.0.100", "10.0.0.1", FlowHash.TCP, port, 80, 0)));
        }
        assertEquals(Set.of("a", "b"), chosen);
        assertEquals("wide",
                router.lookupFlow(FlowPackets.ipv4("10.0.0.100", "10.0.0.2", FlowHash.TCP, 1000, 80, 0)));
        assertNull(router.lookupFlow(FlowPackets.ipv4("10.0.0.100", "10.0.1.2", FlowHash.TCP, 1000, 80, 0)));
        assertEquals("a", router.lookup(FlowPackets.ipv4("10.0.0.100", "10.0.0.1", FlowHash.TCP, 1000, 80, 0)),
                "the lookup without spreading stays with the claimant known longest");
    }

    @Test
    void theVersionCountsChangesOfAnyClaimantNotOnlyOfTheFirst() {
        router.setClaims("a", ranges("10.0.0.1/32"));
        long first = router.version();
        assertTrue(router.setClaims("b", ranges("10.0.0.1/32")).isEmpty(), "the first claimant stays");
        long second = router.version();
        router.setClaims("b", ranges("10.0.0.1/32")); // no change
        assertTrue(second > first);
        assertEquals(second, router.version());
    }

    @Test
    void readersNeverSeeAHalfDoneChange() throws Exception {
        // "a" moves its route to 10.1.2.3 between one /16 and two /17s in single calls; halfway (old claim gone,
        // new one not there yet) the address would fall through to "base". Readers must never see that.
        List<IpRange> whole = ranges("10.1.0.0/16");
        List<IpRange> halves = ranges("10.1.0.0/17", "10.1.128.0/17");
        router.setClaims("base", ranges("10.0.0.0/8"));
        router.setClaims("a", whole);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicReference<String> wrong = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            byte[] address = IpRange.parse("10.1.2.3").address();
            while (writing.get() && wrong.get() == null) {
                String owner = router.lookup(address);
                if (!"a".equals(owner)) {
                    wrong.set(owner);
                }
            }
        });
        reader.start();
        for (int i = 0; i < 20_000; i++) {
            router.setClaims("a", halves);
            router.setClaims("a", whole);
        }
        writing.set(false);
        reader.join();

        assertNull(wrong.get(), "reader saw " + wrong.get());
    }

    private String lookup(String address) {
        return router.lookup(IpRange.parse(address).address());
    }

    private static List<IpRange> ranges(String... texts) {
        return java.util.Arrays.stream(texts).map(IpRange::parse).toList();
    }

    /** A minimal IPv4 header (no options) addressed to {@code destination}. */
    static byte[] ipv4Packet(String destination) {
        byte[] packet = new byte[20];
        packet[0] = 0x45;
        System.arraycopy(IpRange.parse(destination).address(), 0, packet, 16, 4);
        return packet;
    }

    /** A minimal IPv6 header addressed to {@code destination}. */
    static byte[] ipv6Packet(String destination) {
        byte[] packet = new byte[40];
        packet[0] = 0x60;
        System.arraycopy(IpRange.parse(destination).address(), 0, packet, 24, 16);
        return packet;
    }
}
