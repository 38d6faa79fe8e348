package io.vpncloud.core.route;

import java.util.function.ToLongFunction;

/**
 * Rendezvous (highest random weight) hashing: each claimant gets a pseudo-random weight per flow, computed from the
 * flow's hash and the claimant's own seed, and the flow goes to the heaviest. A flow's choice depends only on the
 * set of claimants, not on their order; when a claimant leaves only its flows move (each to the claimant that
 * weighed next most for it), and a claimant that joins takes exactly the flows it now outweighs everyone for, about
 * one n-th of them.
 */
final class Rendezvous {

    private Rendezvous() {
    }

    /** The index of the claimant that {@code flowHash} goes to; {@code claimants} is not empty. */
    static <P> int choose(Object[] claimants, long flowHash, ToLongFunction<? super P> seed) {
        int best = 0;
        long bestWeight = weight(flowHash, seedOf(claimants[0], seed));
        for (int i = 1; i < claimants.length; i++) {
            long weight = weight(flowHash, seedOf(claimants[i], seed));
            if (Long.compareUnsigned(weight, bestWeight) > 0) {
                best = i;
                bestWeight = weight;
            }
        }
        return best;
    }

    /** The weight of a claimant with {@code seed} for a flow; the mix makes weights of different seeds independent. */
    static long weight(long flowHash, long seed) {
        return FlowHash.mix(flowHash ^ seed);
    }

    @SuppressWarnings("unchecked")
    private static <P> long seedOf(Object claimant, ToLongFunction<? super P> seed) {
        return seed.applyAsLong((P) claimant);
    }
}
