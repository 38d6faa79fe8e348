package io.vpncloud.core.peer;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When to broadcast our NodeInfo to all peers (PROTOCOL.md §8).
 *
 * <p>The reference sends every {@code min(keepalive, max(t / 2 - 60 s, 1 s))}, where {@code t} is the smallest peer
 * timeout its peers advertised (300 s without peers), and its default keepalive is
 * {@code max(own peer timeout / 2 - 60 s, 1 s)}. It computes both in unsigned whole seconds, so a timeout below
 * 120 s makes {@code t / 2 - 60} wrap to a huge number: the term then drops out of the minimum (and a default
 * keepalive becomes practically unbounded). This class reproduces that, and adds this project's guarantee: the
 * interval is never longer than a third of the smallest advertised timeout (at the precision it was advertised,
 * milliseconds for Java peers), so every peer hears from us about three times before it would drop us. With the
 * reference's default timers (300 s) that changes nothing: the interval stays 90 s.
 *
 * <p>Not thread-safe: meant for the one scheduler thread. The first broadcast is due at once.
 */
public final class NodeInfoSchedule {

    /** What the reference assumes as the smallest advertised timeout while it has no peers. */
    public static final Duration REFERENCE_TIMEOUT_WITHOUT_PEERS = Duration.ofSeconds(300);

    private static final long SECONDS_MARGIN = 60;
    private static final long U16_RANGE = 1L << 16;
    private static final long U32_RANGE = 1L << 32;

    private final Duration keepalive;
    private Instant lastSent;

    /**
     * @param peerTimeout  this node's peer timeout, which sets the default keepalive
     * @param keepalive    the configured broadcast interval, or null for the reference default
     */
    public NodeInfoSchedule(Duration peerTimeout, Duration keepalive) {
        Objects.requireNonNull(peerTimeout, "peerTimeout");
        if (keepalive != null && (keepalive.isNegative() || keepalive.isZero())) {
            throw new IllegalArgumentException("keepalive must be positive, not " + keepalive);
        }
        this.keepalive = keepalive != null ? keepalive : defaultKeepalive(peerTimeout);
    }

    /**
     * The reference's default keepalive: {@code max(peerTimeout / 2 - 60 s, 1 s)} in unsigned 32-bit whole
     * seconds, so below 120 s it wraps to more than a century.
     */
    public static Duration defaultKeepalive(Duration peerTimeout) {
        long halfSeconds = peerTimeout.getSeconds() / 2;
        long seconds = halfSeconds >= SECONDS_MARGIN
                ? Math.max(halfSeconds - SECONDS_MARGIN, 1)
                : U32_RANGE + halfSeconds - SECONDS_MARGIN;
        return Duration.ofSeconds(seconds);
    }

    /**
     * The reference's interval for the smallest advertised timeout {@code minAdvertisedTimeout} (null: no peers),
     * computed as it does in unsigned 16-bit whole seconds.
     */
    public Duration referenceInterval(Duration minAdvertisedTimeout) {
        Duration advertised = minAdvertisedTimeout != null ? minAdvertisedTimeout : REFERENCE_TIMEOUT_WITHOUT_PEERS;
        long halfSeconds = Math.min(advertised.getSeconds(), U16_RANGE - 1) / 2;
        long seconds = halfSeconds >= SECONDS_MARGIN
                ? Math.max(halfSeconds - SECONDS_MARGIN, 1)
                : U16_RANGE + halfSeconds - SECONDS_MARGIN;
        return min(keepalive, Duration.ofSeconds(seconds));
    }

    /**
     * The broadcast interval: the reference's, but at most a third of the smallest advertised timeout.
     *
     * @param minAdvertisedTimeout  the smallest peer timeout the connected peers advertised (a peer that advertised
     *                              none counts as 300 s, as in the reference), or null if there are no peers
     */
    public Duration interval(Duration minAdvertisedTimeout) {
        Duration reference = referenceInterval(minAdvertisedTimeout);
        return minAdvertisedTimeout == null ? reference : min(reference, minAdvertisedTimeout.dividedBy(3));
    }

    /** The keepalive in use (configured, or the reference default). */
    public Duration keepalive() {
        return keepalive;
    }

    /** When the next broadcast is due: {@code now} if none was sent yet. */
    public Instant nextDue(Instant now, Duration minAdvertisedTimeout) {
        return lastSent == null ? now : lastSent.plus(interval(minAdvertisedTimeout));
    }

    /** Whether a broadcast is due at {@code now}. */
    public boolean due(Instant now, Duration minAdvertisedTimeout) {
        return !now.isBefore(nextDue(now, minAdvertisedTimeout));
    }

    /** A broadcast went out at {@code now}. */
    public void sent(Instant now) {
        lastSent = Objects.requireNonNull(now, "now");
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
