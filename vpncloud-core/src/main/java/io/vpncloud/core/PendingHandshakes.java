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
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The handshakes under way, by peer address, within the limits of a {@link HandshakeLimiter}; and the finished
 * initiators kept for a while to answer a repeated PONG. Control thread only.
 */
final class PendingHandshakes {
    private static final Logger LOG = LoggerFactory.getLogger(PendingHandshakes.class);
    /** The initiator keeps a finished handshake this long to answer a repeated PONG with its PENG again. */
    static final Duration HOLD_FINISHED = Duration.ofSeconds(60);
    /** The reference resends the last handshake message once per second. */
    static final Duration RESEND_INTERVAL = Duration.ofSeconds(1);
    /** How long a responder may wait for its PENG before a new handshake may take its place when the limit is hit. */
    static final Duration STALE_RESPONDER = Duration.ofSeconds(1);
    /**
     * How long an initiator (to a peer learned from NodeInfo) may go unanswered before a new handshake may take its
     * place when the limit is hit: several resends, so a peer that is only slow still gets its chance.
     */
    static final Duration STALE_INITIATOR = Duration.ofSeconds(5);
    /**
     * A redial of a timed-out peer sends its PING this often in all, the gaps doubling from
     * {@link #RESEND_INTERVAL}, and gives up when the next would be due: about a minute of trying
     * (1 + 2 + 4 + 8 + 16 + 32 s) with six messages instead of two minutes with one every second, since a peer that
     * timed out has most likely crashed.
     */
    static final int REDIAL_SENDS = 6;

    private final HandshakeLimiter limiter;
    private final Map<PeerAddress, Pending> byAddress = new HashMap<>();
    /**
     * The addresses with an unfinished handshake, published for the receive thread (see EarlyDatagrams). Not only
     * responders: in a simultaneous open this node's initiator answers the peer's PING, and the peer's data may
     * overtake its PENG just the same.
     */
    private final Set<PeerAddress> unfinished = ConcurrentHashMap.newKeySet();

    PendingHandshakes(HandshakeLimiter limiter) {
        this.limiter = limiter;
    }

    /** What started a handshake; decides its limits, resends and whether it may be evicted. */
    enum Origin {
        /** An init message from the network: this node responds. */
        RESPONDER,
        /** This node connects to a peer it learned of (NodeInfo) or was asked to by the application. */
        INITIATOR,
        /** This node connects to a configured peer. */
        CONFIGURED,
        /** This node connects again to a peer that timed out. */
        REDIAL
    }

    /** One handshake and its timing. */
    static final class Pending {
        final HandshakeState state;
        final Origin origin;
        final Instant startedAt;
        Instant lastSent;
        Instant finishedAt;
        Duration resendInterval = RESEND_INTERVAL;
        int sends = 1;

        Pending(HandshakeState state, Origin origin, Instant now) {
            this.state = state;
            this.origin = origin;
            this.startedAt = now;
            this.lastSent = now;
        }

        boolean finished() {
            return finishedAt != null;
        }
    }

    /** Whether a handshake with {@code address} is under way (not finished); any thread. */
    boolean isUnderWay(PeerAddress address) {
        return unfinished.contains(address);
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
        if (!limiter.tryAcquire(from) && !(evictStale(now) && limiter.tryAcquire(from))) {
            return null;
        }
        Pending pending = new Pending(state, Origin.RESPONDER, now);
        byAddress.put(from, pending);
        unfinished.add(from);
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
        byAddress.put(to, new Pending(state, configured ? Origin.CONFIGURED : Origin.INITIATOR, now));
        unfinished.add(to);
        return true;
    }

    /**
     * Adds a redial of a peer that timed out, on the redial budget; it resends with growing gaps and gives up after
     * {@link #REDIAL_SENDS} messages.
     *
     * @return false when no redial slot is free
     */
    boolean startRedial(PeerAddress to, HandshakeState state, Instant now) {
        if (!limiter.tryAcquireRedial(to)) {
            return false;
        }
        byAddress.put(to, new Pending(state, Origin.REDIAL, now));
        unfinished.add(to);
        return true;
    }

    /**
     * An initiator finished: it stays to answer a repeated PONG, but gives its limiter slot back at once. Holding
     * the slot for the whole {@link #HOLD_FINISHED} let a node start only as many handshakes per minute as it has
     * slots, and a large mesh formed at that pace. Finished initiators are bounded by the peers anyway.
     */
    void finish(PeerAddress address, Pending pending, Instant now) {
        pending.finishedAt = now;
        unfinished.remove(address);
        limiter.release(address);
    }

    /** A handshake is over; its slot is free. */
    void drop(PeerAddress address) {
        if (byAddress.remove(address) != null) {
            unfinished.remove(address);
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
                unfinished.remove(entry.getKey());
                limiter.release(entry.getKey());
            }
        }
    }

    /** Resends if due; returns true when the handshake is abandoned. */
    private static boolean resend(Pending pending, Instant now, PeerAddress address, BiConsumer<byte[], PeerAddress> send) {
        if (now.isBefore(pending.lastSent.plus(pending.resendInterval))) {
            return false;
        }
        pending.lastSent = now;
        byte[] again = pending.state.resendOnTick();
        boolean redialOver = pending.origin == Origin.REDIAL && pending.sends >= REDIAL_SENDS;
        if (pending.state.isAbandoned() || redialOver) {
            LOG.debug("handshake with {} abandoned after {} messages", address, pending.sends);
            return true;
        }
        if (again != null) {
            send.accept(again, address);
            pending.sends++;
        }
        if (pending.origin == Origin.REDIAL) {
            pending.resendInterval = pending.resendInterval.multipliedBy(2);
        }
        return false;
    }

    /**
     * Makes room for an init message from the network by dropping the oldest stale handshake: a responder that has
     * waited longer than {@link #STALE_RESPONDER} for its PENG, or else an initiator to a learned peer that has gone
     * unanswered for {@link #STALE_INITIATOR}. An honest initiator answers a PONG within a round trip and re-sends
     * its PING if it lost ours, so this only hurts senders that never finish: a flood of init messages, or a
     * NodeInfo full of dead addresses, cannot hold the slots for the two minutes of resends a handshake may take.
     * Handshakes with configured peers and redials have slots of their own and are never evicted.
     */
    private boolean evictStale(Instant now) {
        PeerAddress victim = oldest(now.minus(STALE_RESPONDER), Origin.RESPONDER);
        if (victim == null) {
            victim = oldest(now.minus(STALE_INITIATOR), Origin.INITIATOR);
        }
        if (victim == null) {
            return false;
        }
        LOG.debug("handshake limit reached: dropping the unfinished handshake with {}", victim);
        drop(victim);
        return true;
    }

    /** The unfinished handshake of {@code origin} started longest before {@code startedBefore}, or null. */
    private PeerAddress oldest(Instant startedBefore, Origin origin) {
        PeerAddress oldest = null;
        Instant oldestStart = startedBefore;
        for (Map.Entry<PeerAddress, Pending> entry : byAddress.entrySet()) {
            Pending pending = entry.getValue();
            if (pending.origin == origin && !pending.finished() && pending.startedAt.isBefore(oldestStart)) {
                oldest = entry.getKey();
                oldestStart = pending.startedAt;
            }
        }
        return oldest;
    }
}
