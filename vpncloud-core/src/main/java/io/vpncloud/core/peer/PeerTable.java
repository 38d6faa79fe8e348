package io.vpncloud.core.peer;

import io.vpncloud.api.NodeId;
import io.vpncloud.api.PeerAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The connected peers, one entry per node, found by any of the addresses the node is reached under or by its node
 * id, with the time each was last heard from (PROTOCOL.md §8).
 *
 * <p>Only NODE_INFO and KEEPALIVE messages (and the handshake) count as hearing from a peer; DATA does not, as in
 * the reference, so the engine calls {@link #heardFrom} for those only. A peer is expired once it has been silent
 * for longer than its timeout.
 *
 * <p>Threads: lookups ({@link #byAddress}, {@link #byNodeId}) and {@link #heardFrom} are lock-free and allocate
 * nothing; changes to membership are serialised.
 *
 * @param <P> the engine's peer object; told apart with {@code equals}
 */
public final class PeerTable<P> {

    private final Duration defaultTimeout;
    private final Map<PeerAddress, Slot<P>> byAddress = new ConcurrentHashMap<>();
    private final Map<NodeId, Slot<P>> byNodeId = new ConcurrentHashMap<>();
    private final Map<P, Slot<P>> byPeer = new ConcurrentHashMap<>();

    /**
     * @param peerTimeout  this node's peer timeout setting, used for peers put without a timeout of their own
     */
    public PeerTable(Duration peerTimeout) {
        this.defaultTimeout = requirePositive(peerTimeout);
    }

    /** The peer reached under {@code address}, or null. */
    public P byAddress(PeerAddress address) {
        Slot<P> slot = byAddress.get(address);
        return slot == null ? null : slot.peer;
    }

    /** The peer with this node id, or null. */
    public P byNodeId(NodeId nodeId) {
        Slot<P> slot = byNodeId.get(nodeId);
        return slot == null ? null : slot.peer;
    }

    /** Whether some peer is reached under {@code address}. */
    public boolean containsAddress(PeerAddress address) {
        return byAddress.containsKey(address);
    }

    /** The number of connected peers. */
    public int size() {
        return byNodeId.size();
    }

    /** The addresses of all peers (a live, unmodifiable view). */
    public Set<PeerAddress> addresses() {
        return Collections.unmodifiableSet(byAddress.keySet());
    }

    /** The node ids of all peers (a live, unmodifiable view). */
    public Set<NodeId> nodeIds() {
        return Collections.unmodifiableSet(byNodeId.keySet());
    }

    /**
     * Adds a peer that has just connected, with this node's peer timeout.
     *
     * @see #put(NodeId, PeerAddress, Object, Instant, Duration)
     */
    public List<PeerEntry<P>> put(NodeId nodeId, PeerAddress address, P peer, Instant now) {
        return put(nodeId, address, peer, now, defaultTimeout);
    }

    /**
     * Adds a peer that has just connected (counts as heard from {@code now}). An entry of the same node, an entry
     * reached under the same address (that node restarted with a new id) and an earlier entry of the same peer
     * object give way to the new one; those of other peer objects are returned so that the engine can drop their
     * claims and sessions.
     *
     * @param timeout  how long this peer may stay silent
     * @return the replaced entries of other peer objects, possibly empty
     */
    public synchronized List<PeerEntry<P>> put(NodeId nodeId, PeerAddress address, P peer, Instant now,
                                               Duration timeout) {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(now, "now");
        requirePositive(timeout);
        List<PeerEntry<P>> replaced = new ArrayList<>();
        for (Slot<P> old : Arrays.asList(byNodeId.get(nodeId), byAddress.get(address), byPeer.get(peer))) {
            // Putting a peer again (say, with a new address) updates it rather than replacing it.
            if (old != null && unlink(old) && !old.peer.equals(peer)) {
                replaced.add(old.entry());
            }
        }
        Slot<P> slot = new Slot<>(peer, nodeId, address, now, timeout);
        byNodeId.put(nodeId, slot);
        byAddress.put(address, slot);
        byPeer.put(peer, slot);
        return replaced;
    }

    /**
     * Records that the peer with {@code nodeId} is also reached under {@code address} (it completed a handshake
     * from a second address).
     *
     * @return false if no peer has that node id, or another peer is reached under that address
     */
    public synchronized boolean addAddress(NodeId nodeId, PeerAddress address) {
        Slot<P> slot = byNodeId.get(nodeId);
        Slot<P> holder = byAddress.get(address);
        if (slot == null || (holder != null && holder != slot)) {
            return false;
        }
        if (holder == null) {
            slot.addresses.add(address);
            byAddress.put(address, slot);
        }
        return true;
    }

    /** Removes a peer with all its addresses; returns its last entry, or null if it was not in the table. */
    public synchronized PeerEntry<P> remove(P peer) {
        Slot<P> slot = byPeer.get(peer);
        return slot != null && unlink(slot) ? slot.entry() : null;
    }

    /** A NODE_INFO or KEEPALIVE arrived from {@code address}; returns false if no peer is reached under it. */
    public boolean heardFrom(PeerAddress address, Instant now) {
        return touch(byAddress.get(address), now);
    }

    /** A NODE_INFO or KEEPALIVE arrived from {@code peer}; returns false if it is not in the table. */
    public boolean heardFrom(P peer, Instant now) {
        return touch(byPeer.get(peer), now);
    }

    /** The peers that have been silent for longer than their timeout at {@code now}; they stay in the table. */
    public List<P> expired(Instant now) {
        List<P> expired = new ArrayList<>();
        for (Slot<P> slot : byPeer.values()) {
            if (now.isAfter(slot.lastHeard.plus(slot.timeout))) {
                expired.add(slot.peer);
            }
        }
        return expired;
    }

    /** The entry of {@code peer}, or null. */
    public PeerEntry<P> entry(P peer) {
        Slot<P> slot = byPeer.get(peer);
        return slot == null ? null : slot.entry();
    }

    /** The peer objects (a live, unmodifiable view, for iterating without copying). */
    public Collection<P> peers() {
        return Collections.unmodifiableSet(byPeer.keySet());
    }

    /** All peers as they are now, for status reports. */
    public List<PeerEntry<P>> snapshot() {
        return byPeer.values().stream().map(Slot::entry).toList();
    }

    private static <P> boolean touch(Slot<P> slot, Instant now) {
        if (slot == null) {
            return false;
        }
        // A late call with an older time must not move the time back.
        if (now.isAfter(slot.lastHeard)) {
            slot.lastHeard = now;
        }
        return true;
    }

    /** Removes every mapping to {@code slot}; false if it was already gone. */
    private boolean unlink(Slot<P> slot) {
        if (!byPeer.remove(slot.peer, slot)) {
            return false;
        }
        byNodeId.remove(slot.nodeId, slot);
        for (PeerAddress address : slot.addresses) {
            byAddress.remove(address, slot);
        }
        return true;
    }

    private static Duration requirePositive(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("peer timeout must be positive, not " + timeout);
        }
        return timeout;
    }

    /** The mutable record behind an entry; membership changes under the table's lock, lastHeard at any time. */
    private static final class Slot<P> {
        final P peer;
        final NodeId nodeId;
        final List<PeerAddress> addresses = new CopyOnWriteArrayList<>();
        final Duration timeout;
        volatile Instant lastHeard;

        Slot(P peer, NodeId nodeId, PeerAddress address, Instant now, Duration timeout) {
            this.peer = peer;
            this.nodeId = nodeId;
            this.addresses.add(address);
            this.lastHeard = now;
            this.timeout = timeout;
        }

        PeerEntry<P> entry() {
            return new PeerEntry<>(peer, nodeId, addresses, lastHeard, timeout);
        }
    }
}
