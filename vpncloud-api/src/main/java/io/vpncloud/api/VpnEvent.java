package io.vpncloud.api;

import java.util.List;
import java.util.Optional;

/** Something that happened to a node; delivered to {@link VpnListener}s. */
public sealed interface VpnEvent
        permits VpnEvent.PeerConnected, VpnEvent.PeerDisconnected, VpnEvent.RouteOwnerChanged, VpnEvent.RoleChanged,
                VpnEvent.ClaimsWithdrawn, VpnEvent.ClaimsRestored {

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
    enum Role {
        /** At least one peer routes the range to this node. */
        ACTIVE,
        /** No peer routes the range to this node: another claimant serves it. */
        STANDBY
    }

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

    /**
     * The health check failed {@code fall} times in a row: this node no longer claims {@code ranges}, and its
     * peers route them to the next claimant. The node stays connected.
     *
     * @param ranges the claims withdrawn
     */
    record ClaimsWithdrawn(List<IpRange> ranges) implements VpnEvent {
        /**
         * Keeps an unmodifiable copy of the ranges.
         *
         * @param ranges the ranges
         */
        public ClaimsWithdrawn {
            ranges = List.copyOf(ranges);
        }
    }

    /**
     * The health check passed {@code rise} times in a row after a withdrawal: this node claims {@code ranges}
     * again. Peers put it behind the claimants they already route to, so traffic comes back only where this node
     * claims a more specific range, after the current one goes away, or (with spread flows) for this node's share.
     *
     * @param ranges the claims restored
     */
    record ClaimsRestored(List<IpRange> ranges) implements VpnEvent {
        /**
         * Keeps an unmodifiable copy of the ranges.
         *
         * @param ranges the ranges
         */
        public ClaimsRestored {
            ranges = List.copyOf(ranges);
        }
    }
}
