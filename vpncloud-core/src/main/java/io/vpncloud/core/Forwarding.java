package io.vpncloud.core;

import io.vpncloud.api.DeviceType;
import io.vpncloud.core.route.FrameAddress;
import io.vpncloud.core.route.LearningTable;
import io.vpncloud.core.route.PacketAddress;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;

/**
 * What the forwarding mode adds to the claims (PROTOCOL.md §9a): the addresses learned from peers' frames and the
 * peers to flood to, shared by the three threads of a node.
 *
 * <ul>
 *   <li>the receive thread checks each frame a peer sends and, in the modes that learn, learns its source address
 *       ({@link #accept});</li>
 *   <li>the send thread asks for a learned peer when no claim places a destination ({@link #learnedPeer}) and, in
 *       the modes that broadcast, sends what is still unplaced to every connected peer ({@link #connected});</li>
 *   <li>the control thread publishes the connected peers as an immutable array whenever they change, and the
 *       time once per tick ({@link #tick}), so that the data threads read no clock; it ends a peer's learned
 *       addresses through the peer's generation ({@link Peer#forgetLearned}, {@link Peer#gone}).</li>
 * </ul>
 *
 * <p>With a TAP device the addresses are those of the Ethernet frames; with a TUN device in a mode that learns
 * (switch), the IPv4 addresses of the packets, as the reference does.
 */
final class Forwarding {
    private static final Peer[] NO_PEERS = new Peer[0];

    private final boolean frames;
    private final boolean learning;
    private final boolean broadcast;
    private final LearningTable<Peer> learned;
    private final TrafficCounters counters;
    private volatile long nowMillis;
    private volatile Peer[] connected = NO_PEERS;

    Forwarding(DeviceType type, ForwardingMode mode, Duration switchTimeout, TrafficCounters counters, Instant now) {
        this.frames = type == DeviceType.TAP;
        this.learning = mode.learning(type);
        this.broadcast = mode.broadcast(type);
        // The table counts whole milliseconds; a shorter timeout (the builder allows any positive one) is one.
        long timeoutMillis = Math.max(1, switchTimeout.toMillis());
        this.learned = learning ? new LearningTable<>(LearningTable.DEFAULT_MAX_ENTRIES, timeoutMillis,
                Peer::learnedGeneration) : null;
        this.counters = counters;
        this.nowMillis = now.toEpochMilli();
    }

    /** Whether the device carries Ethernet frames. */
    boolean frames() {
        return frames;
    }

    /** Whether what neither a claim nor a learned address places goes to every peer. */
    boolean broadcast() {
        return broadcast;
    }

    /**
     * Checks a frame (or packet) that {@code from} sent, before it goes to the device, and learns its source where
     * the mode learns; receive thread. The buffer is not moved.
     *
     * @return false for an Ethernet frame too short for its header (the caller counts and drops it)
     */
    boolean accept(ByteBuffer payload, Peer from) {
        if (frames) {
            long source = FrameAddress.source(payload);
            if (source == FrameAddress.INVALID) {
                return false;
            }
            if (learning && !FrameAddress.isMulticast(source)) {
                learn(source, from);
            }
        } else if (learning) {
            long source = PacketAddress.source(payload);
            if (source != PacketAddress.NONE && !PacketAddress.isGroup(source)) {
                learn(source, from);
            }
        }
        return true;
    }

    private void learn(long source, Peer from) {
        if (!learned.learn(source, from, nowMillis)) {
            counters.unlearned.increment();
        }
    }

    /**
     * The peer the destination of an Ethernet frame was learned behind, or null (also when this mode does not
     * learn); send thread.
     *
     * @param destination a key from {@link FrameAddress#destination}, valid
     */
    Peer learnedPeer(long destination) {
        return learning ? learned.lookup(destination, nowMillis) : null;
    }

    /**
     * The peer the IPv4 destination of the packet at the buffer's position was learned behind, or null (also when
     * this mode does not learn, without reading the packet); send thread. The buffer is not moved.
     */
    Peer learnedPeerOfPacket(ByteBuffer packet) {
        if (!learning) {
            return null;
        }
        long destination = PacketAddress.destination(packet);
        return destination == PacketAddress.NONE ? null : learned.lookup(destination, nowMillis);
    }

    /** The connected peers, as last published; the array is never changed. */
    Peer[] connected() {
        return connected;
    }

    /** Publishes the connected peers; control thread. */
    void publish(Collection<Peer> peers) {
        connected = peers.toArray(NO_PEERS);
    }

    /** Publishes the time the learned addresses are judged by; control thread, once per tick. */
    void tick(Instant now) {
        nowMillis = now.toEpochMilli();
    }

    /** How many learned addresses are valid now (walks the table); 0 when this mode does not learn. */
    int learnedAddresses() {
        return learning ? learned.size(nowMillis) : 0;
    }
}
