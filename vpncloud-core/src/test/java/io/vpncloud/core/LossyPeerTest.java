package io.vpncloud.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A session on an underlay that loses 40 % of the datagrams each way stays up while data flows: the data that does
 * arrive shows that the peer is alive, even when several keepalives in a row are lost. With a keepalive of 100 ms
 * and a peer timeout of 500 ms, five lost keepalives in a row (1 % each time at this loss) would otherwise drop
 * the peer; over twenty peer timeouts that is likely to happen at least once.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LossyPeerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    // Short timers, so that a few lost keepalives in a row would drop the peer, but not so short that a loaded
    // machine's scheduling pauses alone could.
    private static final Duration KEEPALIVE = Duration.ofMillis(200);
    private static final Duration PEER_TIMEOUT = Duration.ofSeconds(1);
    private static final double LOSS = 0.4;
    /** How long the session must last, in peer timeouts. */
    private static final int TIMEOUTS = 10;
    /** Packets sent each way per keepalive round of b. */
    private static final int BURST = 20;

    @Test
    void aPeerUnderFortyPercentLossStaysConnectedWhileDataFlows() throws Exception {
        // Only a's socket is lossy, in both directions: so each way loses 40 %, not 64 %.
        LossyUdpSocketProvider lossy = new LossyUdpSocketProvider(LOSS, 42);
        try (TestNode a = TestNode.start("a", "10.8.0.1/24", o -> haTimers(o).socketProvider(lossy));
             TestNode b = TestNode.start("b", "10.8.0.2/24", o -> haTimers(o).peer(a.address()))) {
            a.awaitCondition(WAIT, "routing to b", () -> a.routeOwner("10.8.0.2").equals(Optional.of(b.id())));
            b.awaitCondition(WAIT, "routing to a", () -> b.routeOwner("10.8.0.1").equals(Optional.of(a.id())));
            lossy.startLosing();
            UnbrokenSession session = UnbrokenSession.watch(a, b);

            // Paced by b's keepalive rounds (its own timer); and the test's clock must also have seen the
            // timeouts go by, so that neither a slow machine nor a fast one shortens the test.
            long started = System.nanoTime();
            long rounds = 0;
            long sentEachWay = 0;
            long deliveredToA = 0;
            long deliveredToB = 0;
            while (rounds < TIMEOUTS * (PEER_TIMEOUT.toMillis() / KEEPALIVE.toMillis())
                    || System.nanoTime() - started < TIMEOUTS * PEER_TIMEOUT.toNanos()) {
                for (int i = 0; i < BURST; i++) {
                    a.send("10.8.0.1", "10.8.0.2", "a->b #" + sentEachWay);
                    b.send("10.8.0.2", "10.8.0.1", "b->a #" + sentEachWay);
                    sentEachWay++;
                }
                b.awaitControlRounds(1, WAIT);
                rounds++;
                deliveredToA += drain(a, "b->a #");
                deliveredToB += drain(b, "a->b #");
                session.assertUnbroken();
            }

            session.assertUnbroken();
            assertShareLost(lossy.lostSending.get(), lossy.sent.get(), "sent by a");
            assertShareLost(lossy.lostReceiving.get(), lossy.received.get(), "received by a");
            assertTrue(deliveredToA > 0 && deliveredToA < sentEachWay, deliveredToA + " of " + sentEachWay + " to a");
            assertTrue(deliveredToB > 0 && deliveredToB < sentEachWay, deliveredToB + " of " + sentEachWay + " to b");
        }
    }

    /** The loss was real: near the configured share of many datagrams. */
    private static void assertShareLost(long lost, long passed, String what) {
        double share = (double) lost / (lost + passed);
        assertTrue(lost + passed > 500 && share > LOSS - 0.1 && share < LOSS + 0.1,
                what + ": lost " + lost + " of " + (lost + passed));
    }

    /** Takes what arrived so far; returns how many packets, each checked to be one the other side sent. */
    private static int drain(TestNode node, String prefix) throws InterruptedException {
        int count = 0;
        for (Optional<byte[]> p = node.receive(Duration.ZERO); p.isPresent(); p = node.receive(Duration.ZERO)) {
            String text = Ipv4Packets.payloadText(p.get());
            assertTrue(text.startsWith(prefix), node + " received '" + text + "'");
            count++;
        }
        return count;
    }

    private static VpnNode.Builder haTimers(VpnNode.Builder builder) {
        return builder.keepalive(KEEPALIVE).peerTimeout(PEER_TIMEOUT);
    }
}
