package io.vpncloud.core.peer;

import io.vpncloud.api.NodeId;
import io.vpncloud.api.PeerAddress;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The mesh rule of PROTOCOL.md §8: a peer learned from a NodeInfo peer list is connected to unless one of its
 * addresses is already a peer, its node id is our own (then its addresses are our own addresses), or its node id
 * is already a peer. Like the reference, a peer that lists one of our own addresses or an address with a handshake
 * in progress is not connected to either.
 */
public final class PeerMeshRule {

    private PeerMeshRule() {
    }

    /**
     * Decides about one learned peer.
     *
     * @param nodeId     the node id it was listed with, or null if the list gave none
     * @param addresses  the addresses it was listed with (normalised, as {@link PeerAddress} is)
     * @param view       this node and its current peers
     */
    public static MeshDecision decide(NodeId nodeId, List<PeerAddress> addresses, MeshView view) {
        if (addresses.stream().anyMatch(view.peerAddresses()::contains)) {
            return MeshDecision.skip(MeshDecision.Outcome.KNOWN_ADDRESS);
        }
        if (view.ownNodeId().equals(nodeId)) {
            List<PeerAddress> newOwn = addresses.stream().distinct()
                    .filter(a -> !view.ownAddresses().contains(a)).toList();
            return new MeshDecision(MeshDecision.Outcome.OWN_NODE, newOwn);
        }
        if (nodeId != null && view.peerNodeIds().contains(nodeId)) {
            return MeshDecision.skip(MeshDecision.Outcome.KNOWN_NODE);
        }
        if (addresses.stream().anyMatch(view.ownAddresses()::contains)) {
            return MeshDecision.skip(MeshDecision.Outcome.OWN_ADDRESS);
        }
        if (addresses.stream().anyMatch(view.pendingAddresses()::contains)) {
            return MeshDecision.skip(MeshDecision.Outcome.PENDING);
        }
        if (addresses.isEmpty()) {
            return MeshDecision.skip(MeshDecision.Outcome.NO_ADDRESS);
        }
        return new MeshDecision(MeshDecision.Outcome.CONNECT, List.copyOf(new LinkedHashSet<>(addresses)));
    }
}
