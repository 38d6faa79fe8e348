package io.vpncloud.core;

import java.util.Optional;

/**
 * Turns health check results into a verdict with keepalived's rise and fall: healthy at first; unhealthy after
 * {@code fall} consecutive failures; healthy again after {@code rise} consecutive successes. Used by one thread.
 */
final class RiseFallCounter {
    private final int rise;
    private final int fall;
    private boolean healthy = true;
    /** Consecutive results that speak against the current verdict. */
    private int streak;

    RiseFallCounter(int rise, int fall) {
        if (rise < 1 || fall < 1) {
            throw new IllegalArgumentException("rise and fall must be at least 1, not " + rise + " and " + fall);
        }
        this.rise = rise;
        this.fall = fall;
    }

    /** Records one result; the new verdict when it changed, else empty. */
    Optional<Boolean> record(boolean success) {
        if (success == healthy) {
            streak = 0;
            return Optional.empty();
        }
        streak++;
        if (streak < (healthy ? fall : rise)) {
            return Optional.empty();
        }
        healthy = success;
        streak = 0;
        return Optional.of(healthy);
    }

    boolean healthy() {
        return healthy;
    }
}
