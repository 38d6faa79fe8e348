package io.vpncloud.core.peer;

import io.vpncloud.api.NodeId;
import io.vpncloud.api.PeerAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A connected peer as the {@link PeerTable} saw it at one moment.
 *
 * @param peer       the engine's peer object
 * @param nodeId     the node id the peer sent in its NodeInfo
 * @param addresses  the addresses it is reached under, the one it connected from first
 * @param lastHeard  when its last NODE_INFO or KEEPALIVE (or its handshake) arrived
 * @param timeout    how long it may stay silent before it is dropped
 * @param <P>        the engine's peer type
 */
public record PeerEntry<P>(P peer, NodeId nodeId, List<PeerAddress> addresses, Instant lastHeard, Duration timeout) {

    public PeerEntry {
        addresses = List.copyOf(addresses);
    }

    /** The moment after which the peer counts as dead unless heard from again. */
    public Instant deadline() {
        return lastHeard.plus(timeout);
    }
}
