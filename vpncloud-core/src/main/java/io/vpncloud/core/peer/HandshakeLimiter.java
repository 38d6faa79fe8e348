package io.vpncloud.core.peer;

import io.vpncloud.api.PeerAddress;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Caps the handshakes in progress, so that a flood of init messages cannot exhaust memory or crowd out the peers
 * this node is configured to connect to. Every pending handshake holds one slot, keyed by the peer's socket
 * address, from its first message until it completes or is abandoned.
 *
 * <p>Ordinary handshakes (from unknown addresses, or to peers learned from NodeInfo) may use all slots but a
 * reserve. Those started by an init message from the network are also limited to a few per source IP address;
 * those this node starts itself ({@link #tryAcquireOutgoing}) are not, so that nodes sharing one IP address
 * (behind one NAT, or many on one host) do not fill each other's per-source budget with their own handshakes and
 * refuse each other's: on one shared address a 60-node mesh never formed that way. Handshakes with configured
 * peers may also use the reserve and are not limited per source. Redials of peers that timed out have a small
 * budget of their own ({@link #tryAcquireRedial}) and count against no other, so that any number of crashed peers
 * cannot lock new ones out.
 *
 * <p>Thread-safe.
 */
public final class HandshakeLimiter {

    public static final int DEFAULT_MAX_PENDING = 256;
    public static final int DEFAULT_MAX_PER_SOURCE = 4;
    public static final int DEFAULT_RESERVED_FOR_CONFIGURED = 32;
    public static final int DEFAULT_MAX_REDIALS = 16;

    private final int maxPending;
    private final int maxPerSource;
    private final int maxOrdinary;
    private final int maxRedials;
    /** What kind of handshake holds a slot. */
    private enum Kind { INCOMING, OUTGOING, CONFIGURED, REDIAL }

    private final Map<PeerAddress, Kind> holders = new HashMap<>();
    private final Map<InetAddress, Integer> ordinaryPerSource = new HashMap<>();
    private int ordinary;
    private int redials;

    /**
     * A limiter with the default limits (256 in all, 4 per source IP, 32 reserved for configured peers, 16 for
     * redials).
     */
    public HandshakeLimiter() {
        this(DEFAULT_MAX_PENDING, DEFAULT_MAX_PER_SOURCE, DEFAULT_RESERVED_FOR_CONFIGURED, DEFAULT_MAX_REDIALS);
    }

    /** A limiter with the default budget for redials. */
    public HandshakeLimiter(int maxPending, int maxPerSource, int reservedForConfigured) {
        this(maxPending, maxPerSource, reservedForConfigured, DEFAULT_MAX_REDIALS);
    }

    /**
     * @param maxPending             handshakes in progress in all
     * @param maxPerSource           ordinary handshakes in progress per source IP address
     * @param reservedForConfigured  slots only configured peers may use
     * @param maxRedials             redials of timed-out peers in progress, on top of {@code maxPending}
     */
    public HandshakeLimiter(int maxPending, int maxPerSource, int reservedForConfigured, int maxRedials) {
        if (maxPerSource < 1 || reservedForConfigured < 0 || reservedForConfigured >= maxPending) {
            throw new IllegalArgumentException("need 0 <= reservedForConfigured (" + reservedForConfigured
                    + ") < maxPending (" + maxPending + ") and maxPerSource (" + maxPerSource + ") >= 1");
        }
        this.maxPending = maxPending;
        this.maxPerSource = maxPerSource;
        this.maxOrdinary = maxPending - reservedForConfigured;
        this.maxRedials = maxRedials;
    }

    /**
     * Takes a slot for an ordinary handshake with {@code address} that an init message from the network started.
     *
     * @return true if the handshake may proceed (also if the address holds a slot already), false if it must be
     *         dropped
     */
    public synchronized boolean tryAcquire(PeerAddress address) {
        if (holders.containsKey(address)) {
            return true;
        }
        int fromSource = ordinaryPerSource.getOrDefault(address.address(), 0);
        if (ordinary >= maxOrdinary || holders.size() - redials >= maxPending || fromSource >= maxPerSource) {
            return false;
        }
        holders.put(address, Kind.INCOMING);
        ordinaryPerSource.put(address.address(), fromSource + 1);
        ordinary++;
        return true;
    }

    /**
     * Takes a slot for an ordinary handshake this node starts with {@code address} (a peer learned from a
     * NodeInfo, or one the application asked for); it counts against the ordinary slots but not per source.
     *
     * @return true if the handshake may proceed (also if the address holds a slot already), false if it must be
     *         dropped
     */
    public synchronized boolean tryAcquireOutgoing(PeerAddress address) {
        if (holders.containsKey(address)) {
            return true;
        }
        if (ordinary >= maxOrdinary || holders.size() - redials >= maxPending) {
            return false;
        }
        holders.put(address, Kind.OUTGOING);
        ordinary++;
        return true;
    }

    /**
     * Takes a slot for a handshake with a configured peer; it may use the reserve and is not limited per source.
     *
     * @return true if the handshake may proceed (also if the address holds a slot already)
     */
    public synchronized boolean tryAcquireConfigured(PeerAddress address) {
        if (holders.containsKey(address)) {
            return true;
        }
        if (holders.size() - redials >= maxPending) {
            return false;
        }
        holders.put(address, Kind.CONFIGURED);
        return true;
    }

    /**
     * Takes a slot for redialling a peer that timed out; redials have a budget of their own and take nothing from
     * the other kinds.
     *
     * @return true if the redial may proceed (also if the address holds a slot already), false if it must wait
     */
    public synchronized boolean tryAcquireRedial(PeerAddress address) {
        if (holders.containsKey(address)) {
            return true;
        }
        if (redials >= maxRedials) {
            return false;
        }
        holders.put(address, Kind.REDIAL);
        redials++;
        return true;
    }

    /** The handshake with {@code address} completed or was abandoned; frees its slot (if it held one). */
    public synchronized void release(PeerAddress address) {
        Kind kind = holders.remove(address);
        if (kind == Kind.REDIAL) {
            redials--;
        }
        if (kind == null || kind == Kind.CONFIGURED || kind == Kind.REDIAL) {
            return;
        }
        ordinary--;
        if (kind == Kind.INCOMING) {
            ordinaryPerSource.computeIfPresent(address.address(), (source, count) -> count == 1 ? null : count - 1);
        }
    }

    /** Handshakes in progress. */
    public synchronized int pending() {
        return holders.size();
    }
}
