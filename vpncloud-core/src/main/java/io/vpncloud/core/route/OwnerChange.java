package io.vpncloud.core.route;

import io.vpncloud.api.IpRange;

/**
 * The first claimant of a range changed: packets for it now go to {@code newOwner}.
 *
 * @param range     the claimed range, host bits cleared
 * @param oldOwner  the previous first claimant, or null if the range was not claimed
 * @param newOwner  the new first claimant, or null if nobody claims the range any more
 * @param <P>       the engine's peer type
 */
public record OwnerChange<P>(IpRange range, P oldOwner, P newOwner) {
}
