package io.vpncloud.core;

import io.vpncloud.api.VpnEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A thousand peers crash at once (they fall silent without CLOSE). The node drops them after the peer timeout and
 * dials them again, as the reference does; those redials wait for answers that never come. A new node that
 * connects meanwhile must get in at once: the redials must not hold the handshake slots the new node needs.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CrashedPeersTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration PEER_TIMEOUT = Duration.ofSeconds(10);
    private static final int PEERS = 1000;

    @Test
    void aNewNodeConnectsAtOnceWhileCrashedPeersAreRedialed() throws Exception {
        // The node's clock stands still unless the test moves it, so nothing times out before the test says so.
        ManualClock clock = new ManualClock();
        try (TestNode a = TestNode.start("a", "10.7.0.1/24", o -> o.clock(clock).peerTimeout(PEER_TIMEOUT));
             SilentPeers crowd = new SilentPeers(PEERS, 7, "test-password")) {
            crowd.connectAll(a, 50, WAIT);
            a.awaitPeers(PEERS, WAIT);
            crowd.drain();

            int mark = a.mark();
            clock.advance(PEER_TIMEOUT.plusSeconds(1));
            a.node.tickNow();
            a.awaitCondition(WAIT, "dropping all crashed peers", () -> a.node.status().peers().isEmpty()
                    && disconnectsSince(a, mark) == PEERS);
            assertTrue(crowd.awaitInitMessages(1, WAIT) >= 1, "a dials its lost peers again");

            try (TestNode b = TestNode.start("b", "10.7.0.2/24", o -> o.peer(a.address()))) {
                a.awaitCondition(WAIT, "connecting the new node", () -> a.node.status().peers().stream()
                        .anyMatch(p -> p.nodeId().equals(b.id())));
                b.awaitPeers(1, WAIT);
            }
        }
    }

    private static long disconnectsSince(TestNode node, int mark) {
        var events = node.events();
        return events.subList(mark, events.size()).stream()
                .filter(e -> e instanceof VpnEvent.PeerDisconnected d && d.reason() == VpnEvent.DisconnectReason.TIMEOUT)
                .count();
    }
}
