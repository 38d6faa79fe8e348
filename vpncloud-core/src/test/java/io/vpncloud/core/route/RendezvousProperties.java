package io.vpncloud.core.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vpncloud.api.IpRange;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToLongFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Spreading flows over the claimants of a range with rendezvous hashing: flows stick to their claimant, a claimant
 * that leaves or joins moves only its own flows, and flows spread evenly. Claimants are longs that are their own
 * seed (any long, also the edge cases 0, 1, -1, MIN and MAX); flows are real packet headers hashed by
 * {@link FlowHash}.
 */
class RendezvousProperties {
    private static final ToLongFunction<Long> OWN_SEED = Long::longValue;
    private static final IpRange SHARED = IpRange.parse("10.0.0.1/32");
    private static final int FLOWS = 10_000;

    @Property(tries = 100)
    void aFlowStaysWithItsClaimantWhateverTheOrderTheClaimsWereLearnedIn(
            @ForAll("claimants") List<Long> claimants, @ForAll long flowSeed, @ForAll Random shuffle) {
        List<ByteBuffer> flows = flows(flowSeed, 500);
        ClaimRouter<Long> router = routerWith(claimants);
        List<Long> chosen = flows.stream().map(router::lookupFlow).toList();

        List<Long> reordered = new ArrayList<>(claimants);
        Collections.shuffle(reordered, shuffle);
        ClaimRouter<Long> other = routerWith(reordered);
        other.setClaims(Long.MAX_VALUE - 7, List.of(IpRange.parse("10.0.0.0/24"))); // an unrelated, wider claim

        assertEquals(chosen, flows.stream().map(other::lookupFlow).toList());
        assertEquals(chosen, flows.stream().map(router::lookupFlow).toList(), "the same again");
    }

    @Property(tries = 100)
    void whenAClaimantLeavesOnlyItsFlowsMove(@ForAll("claimants") List<Long> claimants,
                                             @ForAll @IntRange(max = 4) int leaving, @ForAll long flowSeed) {
        Long gone = claimants.get(leaving % claimants.size());
        List<ByteBuffer> flows = flows(flowSeed, FLOWS);
        ClaimRouter<Long> router = routerWith(claimants);
        List<Long> before = flows.stream().map(router::lookupFlow).toList();

        router.removePeer(gone);

        for (int i = 0; i < flows.size(); i++) {
            Long now = router.lookupFlow(flows.get(i));
            if (before.get(i).equals(gone)) {
                assertTrue(!now.equals(gone) && claimants.contains(now), "flow " + i + " went to " + now);
            } else {
                assertEquals(before.get(i), now, "flow " + i + " of a remaining claimant moved");
            }
        }
    }

    @Property(tries = 100)
    void aNewClaimantTakesOnlyItsShare(@ForAll("claimants") List<Long> claimants, @ForAll long newcomer,
                                       @ForAll long flowSeed) {
        if (claimants.contains(newcomer)) {
            return;
        }
        List<ByteBuffer> flows = flows(flowSeed, FLOWS);
        ClaimRouter<Long> router = routerWith(claimants);
        List<Long> before = flows.stream().map(router::lookupFlow).toList();

        router.setClaims(newcomer, List.of(SHARED));

        int moved = 0;
        for (int i = 0; i < flows.size(); i++) {
            Long now = router.lookupFlow(flows.get(i));
            if (!now.equals(before.get(i))) {
                assertEquals(newcomer, now, "flow " + i + " moved between old claimants");
                moved++;
            }
        }
        double share = (double) FLOWS / (claimants.size() + 1);
        assertTrue(Math.abs(moved - share) <= 0.1 * share, moved + " flows moved, a fair share is " + share);
    }

    @Property(tries = 100)
    void tenThousandRandomFlowsSpreadEvenly(@ForAll("claimants") List<Long> claimants, @ForAll long flowSeed) {
        assertEven(claimants, flows(flowSeed, FLOWS));
    }

    @Property(tries = 50)
    void tenThousandConnectionsOfOneClientSpreadEvenly(@ForAll("claimants") List<Long> claimants,
                                                       @ForAll @IntRange(max = 55535) int firstPort) {
        // The common case with the least entropy: one client, one shared address, consecutive source ports.
        List<ByteBuffer> flows = new ArrayList<>();
        for (int port = firstPort; port < firstPort + FLOWS; port++) {
            flows.add(FlowPackets.ipv4("10.0.0.100", "10.0.0.1", FlowHash.TCP, port, 443, 0));
        }
        assertEven(claimants, flows);
    }

    private static void assertEven(List<Long> claimants, List<ByteBuffer> flows) {
        ClaimRouter<Long> router = routerWith(claimants);
        Map<Long, Integer> counts = new HashMap<>();
        for (ByteBuffer flow : flows) {
            counts.merge(router.lookupFlow(flow), 1, Integer::sum);
        }
        double even = (double) flows.size() / claimants.size();
        for (Long claimant : claimants) {
            int count = counts.getOrDefault(claimant, 0);
            assertTrue(Math.abs(count - even) <= 0.1 * even,
                    "claimant " + claimant + " got " + count + " of " + flows.size() + " flows; even is " + even
                            + "; all: " + counts);
        }
    }

    @Provide
    Arbitrary<List<Long>> claimants() {
        return Arbitraries.longs().list().uniqueElements().ofMinSize(2).ofMaxSize(5);
    }

    private static ClaimRouter<Long> routerWith(List<Long> claimants) {
        ClaimRouter<Long> router = new ClaimRouter<>(OWN_SEED);
        for (Long claimant : claimants) {
            router.setClaims(claimant, List.of(SHARED));
        }
        return router;
    }

    /** Random TCP, UDP and ICMP packets, IPv4, from random sources in 10.0.0.0/8 to the shared address. */
    private static List<ByteBuffer> flows(long seed, int count) {
        Random random = new Random(seed);
        List<ByteBuffer> flows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String source = "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256);
            int kind = random.nextInt(10);
            int protocol = kind < 6 ? FlowHash.TCP : kind < 9 ? FlowHash.UDP : FlowPackets.ICMP;
            flows.add(FlowPackets.ipv4(source, "10.0.0.1", protocol, random.nextInt(65536), random.nextInt(65536),
                    0));
        }
        return flows;
    }
}
