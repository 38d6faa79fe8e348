package io.vpncloud.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Peers this node finished an encrypted handshake with as the initiator and has not heard from since. A responder
 * answers the PENG at once with its first key-rotation message (as the reference does). If nothing comes, the
 * responder lost its side of the handshake - for example, it dropped a responder that waited too long for its PENG
 * to make room under the handshake limit, which happens when many nodes behind one address connect at once - and
 * the pair is half-open: this node sends into a session the peer does not have, and the peer does not know this
 * node, until the peer timeout (300 s by default). After {@link #PATIENCE} of silence such a peer is reconnected.
 *
 * <p>Used under the control plane's lock.
 */
final class HalfOpenPeers {
    /** Far longer than a round trip, and short against the default peer timeout. */
    static final Duration PATIENCE = Duration.ofSeconds(5);

    private final List<Peer> waiting = new ArrayList<>();

    /** Watches a peer this node has just connected to as the initiator. */
    void expectAnswer(Peer peer) {
        waiting.add(peer);
    }

    /**
     * The watched peers still silent {@link #PATIENCE} after they connected; they, and those heard from, are no
     * longer watched.
     */
    List<Peer> silentAt(Instant now) {
        List<Peer> silent = new ArrayList<>();
        for (Iterator<Peer> it = waiting.iterator(); it.hasNext(); ) {
            Peer peer = it.next();
            if (peer.heardRounds() > 0) {
                it.remove();
            } else if (!now.isBefore(peer.connectedAt.plus(PATIENCE))) {
                it.remove();
                silent.add(peer);
            }
        }
        return silent;
    }
}
