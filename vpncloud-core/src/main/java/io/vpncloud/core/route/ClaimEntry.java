package io.vpncloud.core.route;

import io.vpncloud.api.IpRange;
import java.util.List;

/**
 * One row of the claim table: a range and everyone who claims it, in the order the claims were learned.
 *
 * @param range      the claimed range, host bits cleared
 * @param claimants  the claimants, first one first; never empty
 * @param <P>        the engine's peer type
 */
public record ClaimEntry<P>(IpRange range, List<P> claimants) {

    public ClaimEntry {
        claimants = List.copyOf(claimants);
    }

    /** The claimant packets for this range go to (if no more specific range matches). */
    public P owner() {
        return claimants.get(0);
    }
}
