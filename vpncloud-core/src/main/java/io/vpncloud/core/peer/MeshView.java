package io.vpncloud.core.peer;

import io.vpncloud.api.NodeId;
import io.vpncloud.api.PeerAddress;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link PeerMeshRule} needs to know about this node and its peers. The sets are read, not copied, so live
 * views (such as {@link PeerTable#addresses()}) may be passed.
 *
 * @param ownNodeId         this node's id
 * @param ownAddresses      the addresses this node is reached under
 * @param peerAddresses     the addresses of connected peers
 * @param peerNodeIds       the node ids of connected peers
 * @param pendingAddresses  the addresses with a handshake in progress
 */
public record MeshView(NodeId ownNodeId, Set<PeerAddress> ownAddresses, Set<PeerAddress> peerAddresses,
                       Set<NodeId> peerNodeIds, Set<PeerAddress> pendingAddresses) {

    public MeshView {
        Objects.requireNonNull(ownNodeId, "ownNodeId");
        Objects.requireNonNull(ownAddresses, "ownAddresses");
        Objects.requireNonNull(peerAddresses, "peerAddresses");
        Objects.requireNonNull(peerNodeIds, "peerNodeIds");
        Objects.requireNonNull(pendingAddresses, "pendingAddresses");
    }
}
