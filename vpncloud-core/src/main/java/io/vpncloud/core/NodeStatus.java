package io.vpncloud.core;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.NodeId;
import io.vpncloud.api.PeerAddress;
import io.vpncloud.api.VpnEvent;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;

/**
 * A point-in-time view of a node, for monitoring and tests.
 *
 * @param nodeId  this node's id
 * @param listen  the bound UDP address
 * @param peers   connected peers
 * @param claims    the claim table in lookup order: most specific range first, then claimants in the order learned
 * @param ownClaims this node's own claims with its role for each
 * @param traffic   counters since start
 * @param learnedAddresses addresses learned from peers' frames and not expired (modes that learn; else 0)
 */
public record NodeStatus(NodeId nodeId, InetSocketAddress listen, List<Peer> peers, List<Claim> claims,
                         List<OwnClaim> ownClaims, Traffic traffic, int learnedAddresses) {

    /**
     * Copies the lists.
     *
     * @param nodeId this node's id
     * @param listen the bound UDP address
     * @param peers connected peers
     * @param claims the claim table in lookup order
     * @param ownClaims this node's own claims with its role for each
     * @param traffic counters since start
     * @param learnedAddresses addresses learned from peers' frames and not expired
     */
    public NodeStatus {
        peers = List.copyOf(peers);
        claims = List.copyOf(claims);
        ownClaims = List.copyOf(ownClaims);
    }

    /**
     * A status without learned addresses (a node that does not learn).
     *
     * @param nodeId this node's id
     * @param listen the bound UDP address
     * @param peers connected peers
     * @param claims the claim table in lookup order
     * @param ownClaims this node's own claims with its role for each
     * @param traffic counters since start
     */
    public NodeStatus(NodeId nodeId, InetSocketAddress listen, List<Peer> peers, List<Claim> claims,
                      List<OwnClaim> ownClaims, Traffic traffic) {
        this(nodeId, listen, peers, claims, ownClaims, traffic, 0);
    }

    /**
     * One of this node's claims. {@code role} is ACTIVE while at least one peer routes the range to this node;
     * peers tell this through a Java-to-Java NodeInfo extension, so reference VpnCloud peers are not counted.
     *
     * @param range the claimed range (empty of users while a health check fails)
     * @param role  ACTIVE or STANDBY
     * @param users how many peers route the range to this node
     */
    public record OwnClaim(IpRange range, VpnEvent.Role role, int users) {}

    /**
     * A connected peer.
     *
     * @param address     the peer's UDP address
     * @param nodeId      the peer's node id
     * @param algorithm   the cipher of the session
     * @param connectedAt when the handshake completed
     * @param lastHeard   when the peer was last heard from
     * @param claims      the ranges the peer claims
     */
    public record Peer(PeerAddress address, NodeId nodeId, String algorithm, Instant connectedAt, Instant lastHeard,
                       List<IpRange> claims) {
        /**
         * Copies the claims.
         *
         * @param address the peer's UDP address
         * @param nodeId the peer's node id
         * @param algorithm the cipher of the session
         * @param connectedAt when the handshake completed
         * @param lastHeard when the peer was last heard from
         * @param claims the ranges the peer claims
         */
        public Peer {
            claims = List.copyOf(claims);
        }
    }

    /**
     * One claimant of a range.
     *
     * @param range   the claimed range
     * @param nodeId  the claimant's node id (this node's own for its own claims)
     * @param address the claimant's UDP address
     * @param active  true for the claimant that packets to the range go to, and for every claimant when the node
     *                spreads flows
     */
    public record Claim(IpRange range, NodeId nodeId, PeerAddress address, boolean active) {}

    /**
     * Traffic counters: data packets and bytes to and from the device side, drops and invalid datagrams, and the
     * datagrams and bytes the control plane sent (handshakes, NodeInfo, key rotation, CLOSE); in the modes that
     * broadcast or learn, what was flooded and what did not fit the learning table.
     *
     * @param packetsIn         data packets received from peers
     * @param bytesIn           their bytes
     * @param packetsOut        data packets sent to peers (a flooded packet counts once per peer)
     * @param bytesOut          their bytes
     * @param dropped           packets from the device with no route, or to a peer they could not be sent to, and
     *                          frames from a TAP device too short for an Ethernet header
     * @param invalid           datagrams dropped as malformed, unauthenticated, replayed or from unknown senders,
     *                          and frames from peers too short for an Ethernet header (TAP)
     * @param controlPacketsOut control datagrams sent
     * @param controlBytesOut   their bytes
     * @param flooded           packets from the device that neither a claim nor a learned address placed, sent to
     *                          every connected peer
     * @param unlearned         source addresses not learned because the learning table was full
     */
    public record Traffic(long packetsIn, long bytesIn, long packetsOut, long bytesOut, long dropped, long invalid,
                          long controlPacketsOut, long controlBytesOut, long flooded, long unlearned) {

        /**
         * Counters of a node that neither floods nor learns.
         *
         * @param packetsIn         data packets received from peers
         * @param bytesIn           their bytes
         * @param packetsOut        data packets sent to peers
         * @param bytesOut          their bytes
         * @param dropped           packets from the device with no route, or to a peer they could not be sent to
         * @param invalid           datagrams dropped as malformed, unauthenticated, replayed or from unknown senders
         * @param controlPacketsOut control datagrams sent
         * @param controlBytesOut   their bytes
         */
        public Traffic(long packetsIn, long bytesIn, long packetsOut, long bytesOut, long dropped, long invalid,
                       long controlPacketsOut, long controlBytesOut) {
            this(packetsIn, bytesIn, packetsOut, bytesOut, dropped, invalid, controlPacketsOut, controlBytesOut, 0, 0);
        }
    }
}
