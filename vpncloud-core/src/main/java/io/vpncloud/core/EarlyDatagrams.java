package io.vpncloud.core;

import io.vpncloud.api.PeerAddress;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.Function;

/**
 * Session datagrams that arrived from a sender in the middle of its handshake, before the control thread made it a
 * peer. An initiator may send data right behind its last handshake message (the reference does), and since the
 * receive thread hands init messages to the control thread instead of handling them itself, that data can overtake
 * the handshake's completion. It is held here, in order, until the peer exists, instead of being dropped. The same
 * holds for a peer that restarted: its new session's data may come before the control thread replaced the old
 * session, and then fails to decrypt with the old one.
 *
 * <p>Only datagrams from senders this node is in a handshake with are held (the control thread publishes them), at
 * most {@link #CAPACITY} in all (the oldest give way), each for at most {@link #HOLD_NANOS}; so garbage from unknown
 * senders costs nothing here. When the control thread adds a peer while datagrams are held, it wakes the
 * receive thread. Receive thread only, except {@link #isHolding()}.
 */
final class EarlyDatagrams {
    static final int CAPACITY = 256;
    static final long HOLD_NANOS = 1_000_000_000L;

    /** One held datagram, and the peer its sender was (null: none) when it came. */
    private record Held(PeerAddress from, byte[] datagram, long arrivedAt, Peer before) {
    }

    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private volatile boolean holding;
    /** When the oldest held datagram arrived (meaningful while holding). */
    private volatile long oldestArrival;

    /**
     * Holds a session datagram from a sender in a handshake with this node.
     *
     * @param before the sender's peer now (whose session could not open the datagram), or null
     */
    void hold(PeerAddress from, ByteBuffer datagram, Peer before, long now) {
        if (held.size() >= CAPACITY) {
            held.pollFirst();
        }
        byte[] copy = new byte[datagram.remaining()];
        datagram.duplicate().get(copy);
        held.addLast(new Held(from, copy, now, before));
        oldestArrival = held.peekFirst().arrivedAt();
        holding = true;
    }

    /** Whether datagrams are held; any thread (the control thread asks before it wakes the receive thread). */
    boolean isHolding() {
        return holding;
    }

    /** Whether a held datagram has waited longer than {@link #HOLD_NANOS} at {@code now}; any thread. */
    boolean isOverdue(long now) {
        return holding && now - oldestArrival > HOLD_NANOS;
    }

    /**
     * Hands the held datagrams whose sender is a (new) peer now to {@code handler}, in their order of arrival, and
     * drops those held too long.
     *
     * @return how many were dropped
     */
    int release(Function<PeerAddress, Peer> peers, DatagramHandler handler, long time) throws java.io.IOException {
        int dropped = 0;
        for (Iterator<Held> it = held.iterator(); it.hasNext(); ) {
            Held h = it.next();
            Peer now = peers.apply(h.from());
            if (now != null && now != h.before()) {
                it.remove();
                handler.handle(h.from(), ByteBuffer.wrap(h.datagram()));
            } else if (time - h.arrivedAt() > HOLD_NANOS) {
                it.remove();
                dropped++;
            }
        }
        if (!held.isEmpty()) {
            oldestArrival = held.peekFirst().arrivedAt();
        }
        holding = !held.isEmpty();
        return dropped;
    }

    /** What handles a released datagram (the receive path, as if it had just arrived). */
    @FunctionalInterface
    interface DatagramHandler {
        void handle(PeerAddress from, ByteBuffer datagram) throws java.io.IOException;
    }
}
