package io.vpncloud.core;

/**
 * A node's {@link NodeStatus} for JMX (jconsole, VisualVM, a JMX exporter), registered by
 * {@link NodeStatusMBeans#register(VpnNode)}. Every attribute reads the node's status anew; lists are text, one
 * entry per element, so that any JMX client shows them.
 */
public interface NodeStatusMXBean {

    /**
     * The node's id.
     *
     * @return the id in hex
     */
    String getNodeId();

    /**
     * The bound UDP address.
     *
     * @return address and port
     */
    String getListenAddress();

    /**
     * How many peers are connected.
     *
     * @return the number of connected peers
     */
    int getPeerCount();

    /**
     * The connected peers.
     *
     * @return one {@code address node-id algorithm} entry per peer
     */
    String[] getPeers();

    /**
     * The claim table in lookup order.
     *
     * @return one {@code range node-id address} entry per claimant, with {@code active} after the one packets go to
     */
    String[] getClaims();

    /**
     * This node's own claims and its role for each.
     *
     * @return one {@code range role users} entry per claim
     */
    String[] getOwnClaims();

    /**
     * Data packets received from peers.
     *
     * @return the count since start
     */
    long getPacketsIn();

    /**
     * Data bytes received from peers.
     *
     * @return the count since start
     */
    long getBytesIn();

    /**
     * Data packets sent to peers.
     *
     * @return the count since start
     */
    long getPacketsOut();

    /**
     * Data bytes sent to peers.
     *
     * @return the count since start
     */
    long getBytesOut();

    /**
     * Packets without a route, or to a peer they could not be sent to.
     *
     * @return the count since start
     */
    long getDropped();

    /**
     * Datagrams dropped as malformed, unauthenticated, replayed or from unknown senders.
     *
     * @return the count since start
     */
    long getInvalid();
}
