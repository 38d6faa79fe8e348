package io.vpncloud.core;

import io.vpncloud.api.VpnEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The peer timeout follows the injected clock, not the wall clock: with the control thread's tick slowed to a crawl
 * the test drives time and ticks itself.
 */
class ClockDrivenTimersTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /**
     * The manual clock drives the timers (through tickNow); the real-time tick only has to stay out of the way,
     * and it must be shorter than the peer timeout.
     */
    private static final Duration MANUAL_TICK = TIMEOUT.minusSeconds(1);

    @Test
    void aSilentPeerIsDroppedExactlyAfterThePeerTimeoutOfTheInjectedClock() throws Exception {
        ManualClock clockA = new ManualClock();
        ManualClock clockB = new ManualClock();
        try (TestNode a = TestNode.start("a", "10.4.0.1/24",
                o -> o.clock(clockA).tick(MANUAL_TICK).peerTimeout(TIMEOUT));
             TestNode b = TestNode.start("b", "10.4.0.2/24",
                     o -> o.clock(clockB).tick(MANUAL_TICK).peerTimeout(TIMEOUT))) {
            // The first tick ran at start; connect by hand since the scheduler will not come round again.
            b.node.connect(new io.vpncloud.api.PeerAddress(java.net.InetAddress.getLoopbackAddress(),
                    a.node.listenAddress().getPort()));
            a.awaitPeers(1, WAIT);
            b.awaitPeers(1, WAIT);
            b.crash(); // b goes silent

            clockA.advance(TIMEOUT);
            a.node.tickNow();
            assertEquals(1, a.node.status().peers().size(), "not yet: silent for exactly the timeout");

            int mark = a.mark();
            clockA.advance(Duration.ofMillis(1));
            a.node.tickNow();
            VpnEvent event = a.awaitEvent(mark, WAIT, e -> e instanceof VpnEvent.PeerDisconnected);
            assertEquals(VpnEvent.DisconnectReason.TIMEOUT, ((VpnEvent.PeerDisconnected) event).reason());
            assertEquals(0, a.node.status().peers().size());
        }
    }
}
