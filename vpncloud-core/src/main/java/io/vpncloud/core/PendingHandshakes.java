package io.vpncloud.core;

import io.vpncloud.api.PeerAddress;
import io.vpncloud.core.crypto.HandshakeState;
import io.vpncloud.core.peer.HandshakeLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The handshakes under way, by peer address, within the limits of a {@link HandshakeLimiter}; and the finished
 * initiators kept for a while to answer a repeated PONG. Used under the control plane's lock.
 */
final class PendingHandshakes {
    private static final Logger LOG = LoggerFactory.getLogger(PendingHandshakes.class);
    /** The initiator keeps a finished handshake this long to answer a repeated PONG with its PENG again. */
    static final Duration HOLD_FINISHED = Duration.ofSeconds(60);
    /** The reference resends the last handshake message once per second. */
    static final Duration RESEND_INTERVAL = Duration.ofSeconds(1);
    /** How long a responder may wait for its PENG before a new handshake may take its place when the limit is hit. */
    static final Duration STALE_RESPONDER = Duration.ofSeconds(1);

    private final HandshakeLimiter limiter;
    private final Map<PeerAddress, Pending> byAddress = new HashMap<>();

    PendingHandshakes(HandshakeLimiter limiter) {
        this.limiter = limiter;
    }

    /** One handshake and its timing. */
    static final class Pending {
        final HandshakeState state;
        final boolean responder;
        final Instant startedAt;
        Instant lastSent;
        Instant finishedAt;

        Pending(HandshakeState state, boolean responder, Instant now) {
            this.state = state;
            this.responder = responder;
            this.startedAt = now;
            this.lastSent = now;
        }

        boolean finished() {
            return finishedAt != null;
        }
    }

    Pending get(PeerAddress address) {
        return byAddress.get(address);
    }

    boolean contains(PeerAddress address) {
        return byAddress.containsKey(address);
    }

    /** The addresses with a handshake (a live, unmodifiable view). */
    Set<PeerAddress> addresses() {
        return Collections.unmodifiableSet(byAddress.keySet());
    }

    /**
     * Adds a responder for an init message from {@code from}, making room by dropping a stale responder when the
     * limit is reached.
     *
     * @return the new handshake, or null when there is no room
     */
    Pending startResponder(PeerAddress from, HandshakeState state, Instant now) {
        if (!limiter.tryAcquire(from) && !(evictStaleResponder(now) && limiter.tryAcquire(from))) {
            return null;
        }
        Pending pending = new Pending(state, true, now);
        byAddress.put(from, pending);
        return pending;
    }

    /**
     * Adds an initiator; configured peers draw on a reserved share of the limit, so that a flood of init messages
     * cannot keep this node from reaching them.
     *
     * @return false when there is no room
     */
    boolean startInitiator(PeerAddress to, HandshakeState state, boolean configured, Instant now) {
        if (!(configured ? limiter.tryAcquireConfigured(to) : limiter.tryAcquireOutgoing(to))) {
            return false;
        }
        byAddress.put(to, new Pending(state, false, now));
        return true;
    }

    /**
     * An initiator finished: it stays to answer a repeated PONG, but gives its limiter slot back at once. Holding
     * the slot for the whole {@link #HOLD_FINISHED} let a node start only as many handshakes per minute as it has
     * slots, and a large mesh formed at that pace. Finished initiators are bounded by the peers anyway.
     */
    void finish(PeerAddress address, Pending pending, Instant now) {
        pending.finishedAt = now;
        limiter.release(address);
    }

    /** A handshake is over; its slot is free. */
    void drop(PeerAddress address) {
        if (byAddress.remove(address) != null) {
            limiter.release(address);
        }
    }

    void clear() {
        for (PeerAddress address : Set.copyOf(byAddress.keySet())) {
            drop(address);
        }
    }

    /**
     * Once per tick: resends the last message of every unfinished handshake whose resend is due, gives up
     * handshakes that made no progress for too long, and forgets finished initiators after {@link #HOLD_FINISHED}.
     */
    void resendDue(Instant now, BiConsumer<byte[], PeerAddress> send) {
        Iterator<Map.Entry<PeerAddress, Pending>> it = byAddress.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<PeerAddress, Pending> entry = it.next();
            Pending pending = entry.getValue();
            if (pending.finished()) {
                if (!now.isBefore(pending.finishedAt.plus(HOLD_FINISHED))) {
                    it.remove(); // its slot went back when it finished
                }
            } else if (resend(pending, now, entry.getKey(), send)) {
                it.remove();
                limiter.release(entry.getKey());
            }
        }
    }

    /** Resends if due; returns true when the handshake is abandoned. */
    private static boolean resend(Pending pending, Instant now, PeerAddress address, BiConsumer<byte[], PeerAddress> send) {
        if (now.isBefore(pending.lastSent.plus(RESEND_INTERVAL))) {
            return false;
        }
        pending.lastSent = now;
        byte[] again = pending.state.resendOnTick();
        if (pending.state.isAbandoned()) {
            LOG.debug("handshake with {} abandoned after too many resends", address);
            return true;
        }
        if (again != null) {
            send.accept(again, address);
        }
        return false;
    }

    /**
     * The oldest responder that has waited longer than {@link #STALE_RESPONDER} for its PENG goes. An honest
     * initiator answers a PONG within a round trip and re-sends its PING if it lost ours, so this only hurts
     * senders that never finish: a flood of init messages cannot hold the slots for the two minutes of resends a
     * handshake may take.
     */
    private boolean evictStaleResponder(Instant now) {
        PeerAddress oldest = null;
        Instant oldestStart = now.minus(STALE_RESPONDER);
        for (Map.Entry<PeerAddress, Pending> entry : byAddress.entrySet()) {
            Pending pending = entry.getValue();
            if (pending.responder && !pending.finished() && pending.startedAt.isBefore(oldestStart)) {
                oldest = entry.getKey();
                oldestStart = pending.startedAt;
            }
        }
        if (oldest == null) {
            return false;
        }
        LOG.debug("handshake limit reached: dropping the unfinished handshake with {}", oldest);
        drop(oldest);
        return true;
    }
}
