package io.vpncloud.core.wire;

import io.vpncloud.api.NodeId;
import io.vpncloud.api.PeerAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of the peer list in a {@link NodeInfo}: a peer of the sender, with its node id if the sender knows it,
 * and the addresses it can be reached at (at most 7 are encoded).
 */
public record PeerInfo(Optional<NodeId> nodeId, List<PeerAddress> addresses) {

    public PeerInfo {
        Objects.requireNonNull(nodeId, "nodeId");
        addresses = List.copyOf(addresses);
    }
}
