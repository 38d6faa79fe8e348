package io.vpncloud.core.peer;

import io.vpncloud.api.PeerAddress;
import java.util.List;

/**
 * What to do about a peer learned from a NodeInfo peer list.
 *
 * @param outcome    the decision and its reason
 * @param addresses  for {@link Outcome#CONNECT}: where to send a PING (each of them, as the reference does); for
 *                   {@link Outcome#OWN_NODE}: the addresses to add to this node's own; empty otherwise
 */
public record MeshDecision(Outcome outcome, List<PeerAddress> addresses) {

    public MeshDecision {
        addresses = List.copyOf(addresses);
    }

    /** The decision; everything but {@link #CONNECT} means no connection attempt. */
    public enum Outcome {
        /** Not connected yet: start a handshake with each address. */
        CONNECT,
        /** The peer is this node (reached under the given addresses). */
        OWN_NODE,
        /** One of its addresses is already a peer. */
        KNOWN_ADDRESS,
        /** Its node id is already a peer. */
        KNOWN_NODE,
        /** One of its addresses is this node's own. */
        OWN_ADDRESS,
        /** A handshake with one of its addresses is in progress. */
        PENDING,
        /** It has no address to connect to. */
        NO_ADDRESS
    }

    static MeshDecision skip(Outcome reason) {
        return new MeshDecision(reason, List.of());
    }

    /** Whether to start handshakes. */
    public boolean connect() {
        return outcome == Outcome.CONNECT;
    }
}
