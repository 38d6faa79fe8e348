package io.vpncloud.core;

import io.vpncloud.api.PeerAddress;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The control-plane counters of {@link NodeStatus.Traffic} count exactly the datagrams the control plane puts on the
 * wire, and nothing of the data path. The clocks stand still and the scheduler is slowed to a crawl, so no timer
 * sends anything the test does not drive.
 */
class ControlTrafficTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void everyHandshakeDatagramOnTheWireIsCounted() throws Exception {
        ManualClock clock = new ManualClock();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (DatagramSocket silentPeer = new DatagramSocket(0, loopback);
             TestNode a = TestNode.start("a", "10.5.0.1/24", o -> o.clock(clock).tick(Duration.ofHours(1)))) {
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
        try (TestNode a = TestNode.start("a", "10.5.0.1/24", o -> o.clock(clock).tick(Duration.ofHours(1)));
             TestNode b = TestNode.start("b", "10.5.0.2/24", o -> o.clock(clock).tick(Duration.ofHours(1)))) {
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
            NodeStatus.Traffic aAfter = a.node.status().traffic();
            NodeStatus.Traffic bAfter = b.node.status().traffic();
            assertEquals(20, aAfter.packetsOut());
            assertEquals(aBefore.controlPacketsOut(), aAfter.controlPacketsOut());
            assertEquals(aBefore.controlBytesOut(), aAfter.controlBytesOut());
            assertEquals(bBefore.controlPacketsOut(), bAfter.controlPacketsOut());
            assertEquals(bBefore.controlBytesOut(), bAfter.controlBytesOut());
        }
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
