package io.vpncloud.core;

import io.vpncloud.api.PeerAddress;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The control-plane counters of {@link NodeStatus.Traffic} count exactly the datagrams the control plane puts on the
 * wire, and nothing of the data path. The clocks stand still and the scheduler is slowed to a crawl, so no timer
 * sends anything the test does not drive.
 */
class ControlTrafficTest {
    /**
     * The manual clock drives the timers (through tickNow); the real-time tick only has to stay out of the way,
     * and it must be shorter than the peer timeout (300 s by default).
     */
    private static final Duration MANUAL_TICK = Duration.ofSeconds(299);

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void everyHandshakeDatagramOnTheWireIsCounted() throws Exception {
        ManualClock clock = new ManualClock();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (DatagramSocket silentPeer = new DatagramSocket(0, loopback);
             TestNode a = TestNode.start("a", "10.5.0.1/24", o -> o.clock(clock).tick(MANUAL_TICK))) {
            silentPeer.setSoTimeout((int) WAIT.toMillis());
            a.node.connect(new PeerAddress(loopback, silentPeer.getLocalPort()));
            int first = receiveLength(silentPeer);
            awaitControl(a, 1, first);

            clock.advance(Duration.ofSeconds(1)); // the unanswered PING is sent again once per second
            a.node.tickNow();
            int second = receiveLength(silentPeer);
            awaitControl(a, 2, first + second);
            assertEquals(0, a.node.status().traffic().packetsOut());
        }
    }

    @Test
    void dataPacketsAreNotControlTraffic() throws Exception {
        ManualClock clock = new ManualClock();
        try (TestNode a = TestNode.start("a", "10.5.0.1/24", o -> o.clock(clock).tick(MANUAL_TICK));
             TestNode b = TestNode.start("b", "10.5.0.2/24", o -> o.clock(clock).tick(MANUAL_TICK))) {
            b.node.connect(new PeerAddress(InetAddress.getLoopbackAddress(), a.node.listenAddress().getPort()));
            a.awaitPeers(1, WAIT);
            b.awaitPeers(1, WAIT); // b answered the handshake and opened key rotation: its control traffic is done
            NodeStatus.Traffic aBefore = a.node.status().traffic();
            NodeStatus.Traffic bBefore = b.node.status().traffic();

            for (int i = 0; i < 20; i++) {
                a.send("10.5.0.1", "10.5.0.2", "data " + i);
            }
            for (int i = 0; i < 20; i++) {
                b.receive(WAIT).orElseThrow();
            }
            // The sender counts a datagram after the socket took it, which can be after b received it.
            a.awaitCondition(WAIT, "counting 20 packets out", () -> a.node.status().traffic().packetsOut() == 20);
            NodeStatus.Traffic aAfter = a.node.status().traffic();
            NodeStatus.Traffic bAfter = b.node.status().traffic();
            assertEquals(20, aAfter.packetsOut());
            assertEquals(aBefore.controlPacketsOut(), aAfter.controlPacketsOut());
            assertEquals(aBefore.controlBytesOut(), aAfter.controlBytesOut());
            assertEquals(bBefore.controlPacketsOut(), bAfter.controlPacketsOut());
            assertEquals(bBefore.controlBytesOut(), bAfter.controlBytesOut());
        }
    }

    @Test
    void unchangedNodeInfoGoesToJavaPeersAsAKeepaliveAndChangesGoInFull() throws Exception {
        ManualClock clock = new ManualClock();
        AtomicBoolean healthy = new AtomicBoolean(true);
        UnaryOperator<VpnNode.Builder> timers = o -> o.clock(clock).tick(Duration.ofSeconds(29))
                .keepalive(Duration.ofSeconds(1)).peerTimeout(Duration.ofSeconds(30));
        try (TestNode a = TestNode.start("a", "10.5.0.1/24", o -> timers.apply(o)
                .healthCheck(healthy::get, Duration.ofMillis(20), Duration.ofSeconds(5), 1, 1));
             TestNode b = TestNode.start("b", "10.5.0.2/24", timers)) {
            b.node.connect(new PeerAddress(InetAddress.getLoopbackAddress(), a.node.listenAddress().getPort()));
            a.awaitPeers(1, WAIT);
            b.awaitPeers(1, WAIT);

            long first = broadcastBytes(a, clock); // the first broadcast to a new peer is the full NodeInfo
            long second = broadcastBytes(a, clock); // nothing changed since
            assertEquals(1 + 24, second, "a KEEPALIVE: type byte plus the session overhead");
            assertTrue(first > 100, "a full NodeInfo, not " + first + " bytes");

            // a's claims are withdrawn when its health monitor sees the failure: the change goes out in full at once,
            // and the schedule's broadcasts of the same content after it are KEEPALIVEs.
            long bytesBefore = a.node.status().traffic().controlBytesOut();
            healthy.set(false);
            b.awaitCondition(WAIT, "b dropping a's claim", () -> b.node.status().claims().isEmpty());
            long changed = a.node.status().traffic().controlBytesOut() - bytesBefore;
            assertTrue(changed > 25, "the changed NodeInfo in full, not " + changed + " bytes");

            for (int i = 0; i < AnnouncementTracker.FULL_EVERY - 1; i++) {
                assertEquals(25, broadcastBytes(a, clock));
            }
            assertTrue(broadcastBytes(a, clock) > 25, "every tenth broadcast is a full NodeInfo");
            assertEquals(1, b.node.status().peers().size(), "keepalives kept a alive at b");
        }
    }

    /** Advances one keepalive interval, ticks, and returns the control bytes a sent to its one peer. */
    private static long broadcastBytes(TestNode node, ManualClock clock) throws InterruptedException {
        return broadcastBytes(node, clock, 1);
    }

    private static long broadcastBytes(TestNode node, ManualClock clock, int messages) throws InterruptedException {
        long before = node.node.status().traffic().controlBytesOut();
        long packetsBefore = node.node.status().traffic().controlPacketsOut();
        clock.advance(Duration.ofSeconds(1));
        node.node.tickNow();
        node.awaitCondition(WAIT, messages + " control messages", () ->
                node.node.status().traffic().controlPacketsOut() == packetsBefore + messages);
        return node.node.status().traffic().controlBytesOut() - before;
    }

    private static int receiveLength(DatagramSocket socket) throws java.io.IOException {
        DatagramPacket packet = new DatagramPacket(new byte[65536], 65536);
        socket.receive(packet);
        return packet.getLength();
    }

    private static void awaitControl(TestNode node, long packets, long bytes) throws InterruptedException {
        node.awaitCondition(WAIT, packets + " control datagrams of " + bytes + " bytes", () -> {
            NodeStatus.Traffic traffic = node.node.status().traffic();
            return traffic.controlPacketsOut() == packets && traffic.controlBytesOut() == bytes;
        });
    }
}
