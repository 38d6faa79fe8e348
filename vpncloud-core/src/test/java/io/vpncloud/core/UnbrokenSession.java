package io.vpncloud.core;

import io.vpncloud.api.NodeId;
import io.vpncloud.api.VpnEvent;

import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The session between two connected test nodes as each of them saw it when it was watched. It is unbroken while
 * both still list the other with the same connection time (so it was neither dropped nor dropped and connected
 * again) and neither recorded a disconnect of the other since.
 */
final class UnbrokenSession {
    private final TestNode a;
    private final TestNode b;
    private final Instant aConnectedAt;
    private final Instant bConnectedAt;
    private final int aMark;
    private final int bMark;

    private UnbrokenSession(TestNode a, TestNode b) {
        this.a = a;
        this.b = b;
        this.aMark = a.mark();
        this.bMark = b.mark();
        this.aConnectedAt = connectedAt(a, b).orElseThrow(() -> new AssertionError(a + " is not connected to " + b));
        this.bConnectedAt = connectedAt(b, a).orElseThrow(() -> new AssertionError(b + " is not connected to " + a));
    }

    /** Watches the session of two nodes that are connected now. */
    static UnbrokenSession watch(TestNode a, TestNode b) {
        return new UnbrokenSession(a, b);
    }

    void assertUnbroken() {
        assertEquals(Optional.of(aConnectedAt), connectedAt(a, b), a + " still has the session with " + b);
        assertEquals(Optional.of(bConnectedAt), connectedAt(b, a), b + " still has the session with " + a);
        assertNoDisconnect(a, aMark, b.id());
        assertNoDisconnect(b, bMark, a.id());
    }

    private static Optional<Instant> connectedAt(TestNode node, TestNode peer) {
        return node.node.status().peers().stream()
                .filter(p -> p.nodeId().equals(peer.id()))
                .map(NodeStatus.Peer::connectedAt)
                .findFirst();
    }

    private static void assertNoDisconnect(TestNode node, int mark, NodeId peer) {
        var events = node.events();
        for (VpnEvent event : events.subList(mark, events.size())) {
            assertTrue(!(event instanceof VpnEvent.PeerDisconnected d && d.nodeId().equals(peer)),
                    node + " dropped its peer: " + event);
        }
    }
}
