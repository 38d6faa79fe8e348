package io.vpncloud.core.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vpncloud.api.IpRange;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Model-based check of {@link ClaimRouter}: random sequences of claim changes, peer removals and lookups over a tiny
 * address space (so that claims collide), compared with {@link ClaimListModel} after every step.
 */
class ClaimRouterModelTest {

    /** One step of a test run. */
    sealed interface Step permits SetClaims, RemovePeer, Lookup {
    }

    /** A peer (new or known) sets its claims. */
    record SetClaims(String peer, List<IpRange> claims) implements Step {
    }

    record RemovePeer(String peer) implements Step {
    }

    record Lookup(byte[] address) implements Step {
    }

    /** Addresses looked up after every step: every address the generated claims can cover, and some they cannot. */
    private static final List<byte[]> PROBES = Stream.concat(
            IntStream.range(0, 18).mapToObj(i -> ipv4(i)),
            IntStream.range(0, 6).mapToObj(i -> ipv6(i)))
            .toList();

    @Property(tries = 300)
    void routerBehavesLikeTheListScanModel(@ForAll("steps") List<Step> steps) {
        ClaimRouter<String> router = new ClaimRouter<>();
        ClaimListModel model = new ClaimListModel();
        for (Step step : steps) {
            Map<byte[], String> routesBefore = lookUpProbes(router);
            Map<IpRange, String> ownersBefore = model.owners();
            List<OwnerChange<String>> changes = apply(step, router, model);

            assertEquals(ClaimListModel.ownerChanges(ownersBefore, model.owners()), new HashSet<>(changes),
                    "owner changes after " + step);
            assertEquals(new HashSet<>(changes).size(), changes.size(), "an owner change reported twice");
            for (byte[] probe : PROBES) {
                assertEquals(model.lookup(probe), router.lookup(probe), "route to " + text(probe) + " after " + step);
                if (!Objects.equals(router.lookup(probe), routesBefore.get(probe))) {
                    assertTrue(changes.stream().anyMatch(c -> c.range().contains(probe)),
                            "route to " + text(probe) + " changed without an owner change event");
                }
            }
            if (step instanceof RemovePeer remove) {
                assertTrue(router.table().stream().noneMatch(e -> e.claimants().contains(remove.peer())),
                        "removed peer still claims something");
            }
            assertTableMatches(model, router);
        }
    }

    private static List<OwnerChange<String>> apply(Step step, ClaimRouter<String> router, ClaimListModel model) {
        if (step instanceof SetClaims set) {
            model.setClaims(set.peer(), set.claims());
            return router.setClaims(set.peer(), set.claims());
        }
        if (step instanceof RemovePeer remove) {
            model.removePeer(remove.peer());
            return router.removePeer(remove.peer());
        }
        Lookup lookup = (Lookup) step;
        assertEquals(model.lookup(lookup.address()), router.lookup(lookup.address()));
        assertEquals(model.lookup(lookup.address()), router.lookup(ByteBuffer.wrap(packetTo(lookup.address()))));
        return List.of();
    }

    private static void assertTableMatches(ClaimListModel model, ClaimRouter<String> router) {
        List<ClaimEntry<String>> table = router.table();
        Map<IpRange, List<String>> asMap = new HashMap<>();
        table.forEach(e -> asMap.put(e.range(), e.claimants()));
        assertEquals(model.table(), asMap);
        for (int i = 1; i < table.size(); i++) {
            IpRange previous = table.get(i - 1).range();
            IpRange current = table.get(i).range();
            if (previous.addressLength() == current.addressLength()) {
                assertTrue(previous.prefixLength() >= current.prefixLength(), "table not most specific first");
            } else {
                assertNotEquals(16, previous.addressLength(), "IPv6 listed before IPv4");
            }
        }
    }

    private static Map<byte[], String> lookUpProbes(ClaimRouter<String> router) {
        Map<byte[], String> routes = new HashMap<>();
        PROBES.forEach(p -> routes.put(p, router.lookup(p)));
        return routes;
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<String> peers = Arbitraries.of("p0", "p1", "p2", "p3", "p4");
        Arbitrary<Step> setClaims = Combinators.combine(peers, ranges().list().ofMaxSize(4)).as(SetClaims::new);
        Arbitrary<Step> removePeer = peers.map(RemovePeer::new);
        Arbitrary<Step> lookup = Arbitraries.of(PROBES).map(Lookup::new);
        return Arbitraries.frequencyOf(
                Tuple.of(6, setClaims),
                Tuple.of(2, removePeer),
                Tuple.of(2, lookup)).list().ofMinSize(1).ofMaxSize(30);
    }

    /** Mostly /28–/32 ranges in 10.0.0.0–7 (host bits set at random), some wider ones, a few IPv6 ranges. */
    private static Arbitrary<IpRange> ranges() {
        Arbitrary<IpRange> narrowIpv4 = Combinators.combine(Arbitraries.integers().between(0, 7),
                Arbitraries.integers().between(28, 32)).as((host, prefix) -> new IpRange(ipv4(host), prefix));
        Arbitrary<IpRange> wideIpv4 = Combinators.combine(Arbitraries.integers().between(0, 17),
                Arbitraries.of(0, 8, 24, 27)).as((host, prefix) -> new IpRange(ipv4(host), prefix));
        Arbitrary<IpRange> ipv6 = Combinators.combine(Arbitraries.integers().between(0, 5),
                Arbitraries.of(0, 64, 126, 127, 128)).as((host, prefix) -> new IpRange(ipv6(host), prefix));
        return Arbitraries.frequencyOf(
                Tuple.of(6, narrowIpv4),
                Tuple.of(1, wideIpv4),
                Tuple.of(2, ipv6));
    }

    private static byte[] ipv4(int host) {
        return new byte[] {10, 0, 0, (byte) host};
    }

    private static byte[] ipv6(int host) {
        byte[] address = new byte[16];
        address[0] = (byte) 0xFD;
        address[15] = (byte) host;
        return address;
    }

    private static byte[] packetTo(byte[] address) {
        return address.length == 4
                ? ClaimRouterTest.ipv4Packet(text(address))
                : ClaimRouterTest.ipv6Packet(text(address));
    }

    private static String text(byte[] address) {
        return new IpRange(address, address.length * 8).toString().replaceAll("/\\d+$", "");
    }
}
