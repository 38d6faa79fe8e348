package io.vpncloud.api;

import java.util.Optional;

/** Something that happened to a node; delivered to {@link VpnListener}s. */
public sealed interface VpnEvent
        permits VpnEvent.PeerConnected, VpnEvent.PeerDisconnected, VpnEvent.RouteOwnerChanged, VpnEvent.RoleChanged {

    /** Why a peer went away. */
    enum DisconnectReason {
        /** Nothing heard from the peer within the peer timeout. */
        TIMEOUT,
        /** The peer said goodbye (CLOSE). */
        CLOSED,
        /** The peer restarted and a new session replaced the old one. */
        REPLACED,
        /** This node is shutting down. */
        SHUTDOWN,
        /**
         * The peer's host reported its port unreachable (ICMP), and the peer did not answer the probes that
         * followed: its process died while the host stayed up. Detected in a fraction of a second, well before the
         * peer timeout; only with a socket that reports such errors (the Linux one of vpncloud-tun-linux).
         */
        UNREACHABLE
    }

    /** Whether this node is the one its peers route a shared range to. */
    enum Role { ACTIVE, STANDBY }

    /** A handshake with a peer completed. */
    record PeerConnected(PeerAddress address, NodeId nodeId) implements VpnEvent {}

    /** A peer was removed, with its claims. */
    record PeerDisconnected(PeerAddress address, NodeId nodeId, DisconnectReason reason) implements VpnEvent {}

    /**
     * The peer that packets for {@code range} go to changed; empty means no peer (or this node itself).
     */
    record RouteOwnerChanged(IpRange range, Optional<NodeId> oldOwner, Optional<NodeId> newOwner) implements VpnEvent {}

    /** This node's role for one of its own claims changed, as far as it can tell from its peers. */
    record RoleChanged(IpRange range, Role role) implements VpnEvent {}
}
