package io.vpncloud.core;

import io.vpncloud.api.PeerAddress;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A finished handshake gives its slot in the handshake limiter back at once, although the initiator keeps it for a
 * minute to answer a repeated PONG: otherwise a node could start only as many handshakes per minute as it has
 * slots, and a large mesh would form at that pace.
 */
class HandshakeSlotTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void oneOrdinarySlotServesOneHandshakeAfterAnother() throws Exception {
        List<TestNode> others = new ArrayList<>();
        // Two slots in all, one of them reserved for configured peers: one slot for connect().
        try (TestNode node = TestNode.start("node", "10.6.0.1/24", o -> o.maxPendingHandshakes(2))) {
            for (int i = 0; i < 3; i++) {
                TestNode other = TestNode.start("other" + i, "10.6.0." + (10 + i) + "/24", o -> o);
                others.add(other);
                node.node.connect(new PeerAddress(InetAddress.getLoopbackAddress(), other.node.listenAddress().getPort()));
                node.awaitPeers(i + 1, WAIT);
            }
        } finally {
            others.forEach(TestNode::close);
        }
    }
}
