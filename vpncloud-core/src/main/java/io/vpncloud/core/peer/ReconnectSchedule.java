package io.vpncloud.core.peer;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When to try to connect to one configured peer (docs/PROTOCOL.md §8).
 *
 * <p>While the peer is not connected, an attempt is due every second; after every 10 failed attempts at one
 * interval the interval doubles, up to an hour. Once connected, no attempts are due and the back-off starts over;
 * when the connection is lost (timeout or CLOSE) the next attempt is due at once. (The reference doubles after 10
 * attempts at 1 s and then after every 11; this class keeps the documented 10 throughout.) The host name is
 * resolved again every 300 s by the node's resolver, not here.
 *
 * <p>Not thread-safe: meant for the control thread.
 */
public final class ReconnectSchedule {

    public static final Duration FIRST_INTERVAL = Duration.ofSeconds(1);
    public static final Duration MAX_INTERVAL = Duration.ofSeconds(3600);
    /** Failed attempts at one interval before it doubles. */
    public static final int ATTEMPTS_PER_INTERVAL = 10;

    private Duration interval = FIRST_INTERVAL;
    private int failedAtInterval;
    private Instant nextAttempt;
    private boolean connected;

    /** A schedule for a peer that is not connected yet: an attempt is due at {@code now}. */
    public ReconnectSchedule(Instant now) {
        this.nextAttempt = Objects.requireNonNull(now, "now");
    }

    /** Whether a connection attempt is due (never while connected). */
    public boolean attemptDue(Instant now) {
        return !connected && !now.isBefore(nextAttempt);
    }

    /** A connection attempt (a PING) went out at {@code now}; schedules the next one, backing off. */
    public void attempted(Instant now) {
        failedAtInterval++;
        if (failedAtInterval == ATTEMPTS_PER_INTERVAL) {
            failedAtInterval = 0;
            Duration doubled = interval.multipliedBy(2);
            interval = doubled.compareTo(MAX_INTERVAL) < 0 ? doubled : MAX_INTERVAL;
        }
        nextAttempt = now.plus(interval);
    }

    /** The peer is connected: attempts stop and the back-off starts over. */
    public void connected() {
        connected = true;
        interval = FIRST_INTERVAL;
        failedAtInterval = 0;
    }

    /** The connection to the peer was lost (timeout or CLOSE): the next attempt is due at once. */
    public void disconnected(Instant now) {
        connected = false;
        interval = FIRST_INTERVAL;
        failedAtInterval = 0;
        nextAttempt = now;
    }

    /** When the next attempt is due (meaningless while connected). */
    public Instant nextAttempt() {
        return nextAttempt;
    }

    /** The current interval between attempts. */
    public Duration interval() {
        return interval;
    }

    public boolean isConnected() {
        return connected;
    }
}
