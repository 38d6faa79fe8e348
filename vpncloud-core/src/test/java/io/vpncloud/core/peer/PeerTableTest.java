package io.vpncloud.core.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vpncloud.api.NodeId;
import io.vpncloud.api.PeerAddress;
import io.vpncloud.core.testing.AllocationMeter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PeerTableTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final NodeId NODE_A = new NodeId(1, 1);
    private static final NodeId NODE_B = new NodeId(2, 2);

    private final PeerTable<String> table = new PeerTable<>(Duration.ofSeconds(300));

    @Test
    void findsPeersByAddressAndNodeIdWithMappedAddressesNormalised() {
        table.put(NODE_A, address("10.1.1.1", 3210), "a", T0);

        assertEquals("a", table.byAddress(address("::ffff:10.1.1.1", 3210)));
        assertEquals("a", table.byNodeId(NODE_A));
        assertNull(table.byAddress(address("10.1.1.1", 3211)));
        assertNull(table.byNodeId(NODE_B));
        assertEquals(1, table.size());
    }

    @Test
    void aNodeReachedUnderTwoAddressesIsOneEntry() {
        table.put(NODE_A, address("10.1.1.1", 3210), "a", T0);

        assertTrue(table.addAddress(NODE_A, address("192.168.0.1", 3210)));

        assertEquals("a", table.byAddress(address("192.168.0.1", 3210)));
        assertEquals(1, table.size());
        assertEquals(List.of(address("10.1.1.1", 3210), address("192.168.0.1", 3210)),
                table.entry("a").addresses());
        PeerEntry<String> removed = table.remove("a");
        assertEquals(NODE_A, removed.nodeId());
        assertNull(table.byAddress(address("192.168.0.1", 3210)));
        assertNull(table.byAddress(address("10.1.1.1", 3210)));
        assertEquals(Set.of(), table.addresses());
    }

    @Test
    void anAddressOfAnotherNodeOrAnUnknownNodeIsNotAdded() {
        table.put(NODE_A, address("10.1.1.1", 3210), "a", T0);
        table.put(NODE_B, address("10.1.1.2", 3210), "b", T0);

        assertFalse(table.addAddress(NODE_A, address("10.1.1.2", 3210)));
        assertFalse(table.addAddress(new NodeId(9, 9), address("10.1.1.9", 3210)));
        assertEquals("b", table.byAddress(address("10.1.1.2", 3210)));
    }

    @Test
    void aRestartedNodeAtTheSameAddressReplacesTheOldEntry() {
        table.put(NODE_A, address("10.1.1.1", 3210), "old", T0);

        List<PeerEntry<String>> replaced = table.put(NODE_B, address("10.1.1.1", 3210), "new", T0.plusSeconds(5));

        assertEquals(List.of("old"), replaced.stream().map(PeerEntry::peer).toList());
        assertEquals("new", table.byAddress(address("10.1.1.1", 3210)));
        assertNull(table.byNodeId(NODE_A));
        assertEquals(Set.of(NODE_B), table.nodeIds());
        assertNull(table.remove("old"));
    }

    @Test
    void theSameNodeConnectingAgainReplacesItsEntryWithAllOldAddresses() {
        table.put(NODE_A, address("10.1.1.1", 3210), "first", T0);
        table.addAddress(NODE_A, address("10.1.1.5", 3210));

        List<PeerEntry<String>> replaced = table.put(NODE_A, address("10.1.1.7", 3210), "second", T0);

        assertEquals(1, replaced.size());
        assertSame("first", replaced.get(0).peer());
        assertEquals(Set.of(address("10.1.1.7", 3210)), table.addresses());
        assertEquals(1, table.size());
    }

    @Test
    void puttingTheSamePeerAgainUpdatesItWithoutReportingItAsReplaced() {
        table.put(NODE_A, address("10.1.1.1", 3210), "a", T0);

        assertEquals(List.of(), table.put(NODE_A, address("10.1.1.9", 3210), "a", T0.plusSeconds(1)));

        assertEquals(List.of(address("10.1.1.9", 3210)), table.entry("a").addresses());
        assertNull(table.byAddress(address("10.1.1.1", 3210)));
        assertEquals(T0.plusSeconds(1), table.entry("a").lastHeard());
    }

    @Test
    void aPeerExpiresOnlyAfterBeingSilentForLongerThanTheReferenceDefaultTimeout() {
        table.put(NODE_A, address("10.1.1.1", 3210), "a", T0);
        table.put(NODE_B, address("10.1.1.2", 3210), "b", T0);

        assertTrue(table.heardFrom(address("10.1.1.2", 3210), T0.plusSeconds(200)));

        assertEquals(List.of(), table.expired(T0.plusSeconds(300)));
        assertEquals(List.of("a"), table.expired(T0.plusSeconds(300).plusMillis(1)));
        assertEquals(Set.of("a", "b"), Set.copyOf(table.expired(T0.plusSeconds(501))));
        assertEquals(2, table.size(), "expired() only reports");
    }

    @Test
    void subSecondTimeoutsAreKeptToTheMillisecond() {
        PeerTable<String> fast = new PeerTable<>(Duration.ofMillis(500));
        fast.put(NODE_A, address("10.1.1.1", 3210), "a", T0);
        fast.heardFrom("a", T0.plusMillis(400));

        assertEquals(List.of(), fast.expired(T0.plusMillis(900)));
        assertEquals(List.of("a"), fast.expired(T0.plusMillis(901)));
        assertEquals(T0.plusMillis(900), fast.entry("a").deadline());
    }

    @Test
    void aPeerCanHaveItsOwnTimeout() {
        table.put(NODE_A, address("10.1.1.1", 3210), "quick", T0, Duration.ofSeconds(2));
        table.put(NODE_B, address("10.1.1.2", 3210), "normal", T0);

        assertEquals(List.of("quick"), table.expired(T0.plusSeconds(3)));
    }

    @Test
    void hearingFromUnknownPeersChangesNothingAndTimeNeverMovesBack() {
        table.put(NODE_A, address("10.1.1.1", 3210), "a", T0);

        assertFalse(table.heardFrom(address("10.9.9.9", 3210), T0.plusSeconds(1)));
        assertFalse(table.heardFrom("nobody", T0.plusSeconds(1)));
        table.heardFrom("a", T0.plusSeconds(100));
        table.heardFrom("a", T0.plusSeconds(50));

        assertEquals(T0.plusSeconds(100), table.entry("a").lastHeard());
    }

    @Test
    void snapshotListsEveryPeer() {
        table.put(NODE_A, address("10.1.1.1", 3210), "a", T0);
        table.put(NODE_B, address("fd00::2", 3210), "b", T0.plusSeconds(1));

        assertEquals(Set.of(
                new PeerEntry<>("a", NODE_A, List.of(address("10.1.1.1", 3210)), T0, Duration.ofSeconds(300)),
                new PeerEntry<>("b", NODE_B, List.of(address("fd00::2", 3210)), T0.plusSeconds(1),
                        Duration.ofSeconds(300))), Set.copyOf(table.snapshot()));
    }

    @Test
    void dataPathLookupsAndRefreshesAllocateNothing() {
        PeerAddress v4 = address("10.1.1.1", 3210);
        PeerAddress v6 = address("fd00::2", 3210);
        table.put(NODE_A, v4, "a", T0);
        table.put(NODE_B, v6, "b", T0);
        Instant later = T0.plusSeconds(1);

        long allocated = AllocationMeter.bytesAllocatedBy(() -> {
            for (int i = 0; i < 100_000; i++) {
                table.byAddress(v4);
                table.byAddress(v6);
                table.heardFrom(v4, later);
            }
        });

        assertTrue(allocated < 1024, allocated + " bytes allocated");
    }

    @Test
    void rejectsNonPositiveTimeouts() {
        assertThrows(IllegalArgumentException.class, () -> new PeerTable<String>(Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> table.put(NODE_A, address("10.1.1.1", 1), "a", T0, Duration.ofMillis(-1)));
    }

    static PeerAddress address(String ip, int port) {
        try {
            return new PeerAddress(InetAddress.getByName(ip), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
