package io.vpncloud.core;

import io.vpncloud.api.VpnEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TwoNodeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void twoNodesWithAPasswordExchangePacketsBothWays() throws Exception {
        try (TestNode a = TestNode.start("a", "10.1.0.1/24", b -> b);
             TestNode b = TestNode.start("b", "10.1.0.2/24", o -> o.peer(a.address()))) {
            a.awaitPeers(1, WAIT);
            b.awaitPeers(1, WAIT);

            a.send("10.1.0.1", "10.1.0.2", "hello b");
            b.send("10.1.0.2", "10.1.0.1", "hello a");

            assertEquals("hello b", Ipv4Packets.payloadText(b.receive(WAIT).orElseThrow()));
            assertEquals("hello a", Ipv4Packets.payloadText(a.receive(WAIT).orElseThrow()));
            // The counters follow the delivery to the device; wait for them rather than race them.
            a.awaitCondition(WAIT, "counting one packet each way", () -> {
                NodeStatus.Traffic traffic = a.node.status().traffic();
                return traffic.packetsIn() == 1 && traffic.packetsOut() == 1;
            });
            assertEquals(b.id(), a.node.status().peers().get(0).nodeId());
        }
    }

    @Test
    void eachAlgorithmAndPlaintextCarryPackets() throws Exception {
        for (String algorithm : List.of("aes128", "aes256", "chacha20", "plain")) {
            try (TestNode a = TestNode.start("a", "10.1.0.1/24", o -> o.algorithm(algorithm));
                 TestNode b = TestNode.start("b", "10.1.0.2/24", o -> o.algorithm(algorithm).peer(a.address()))) {
                b.awaitPeers(1, WAIT);
                b.send("10.1.0.2", "10.1.0.1", "via " + algorithm);
                assertEquals("via " + algorithm, Ipv4Packets.payloadText(a.receive(WAIT).orElseThrow()));
                String expected = algorithm.equals("plain") ? "PLAINTEXT" : algorithm.toUpperCase();
                assertEquals(expected, b.node.status().peers().get(0).algorithm());
            }
        }
    }

    @Test
    void packetsWithoutAClaimAreDroppedAndCounted() throws Exception {
        try (TestNode a = TestNode.start("a", "10.1.0.1/24", b -> b);
             TestNode b = TestNode.start("b", "10.1.0.2/24", o -> o.peer(a.address()))) {
            b.awaitPeers(1, WAIT);
            b.send("10.1.0.2", "10.1.0.77", "nobody claims this");
            b.awaitCondition(WAIT, "counting the drop", () -> b.node.status().traffic().dropped() == 1);
            assertTrue(a.receive(Duration.ofMillis(200)).isEmpty());
        }
    }

    @Test
    void nodesWithDifferentPasswordsDoNotConnect() throws Exception {
        try (TestNode a = TestNode.start("a", "10.1.0.1/24", b -> b.password("one"));
             TestNode b = TestNode.start("b", "10.1.0.2/24", o -> o.password("two").peer(a.address()))) {
            a.awaitCondition(WAIT, "rejecting the untrusted handshake",
                    () -> a.node.status().traffic().invalid() > 0);
            assertEquals(List.of(), a.node.status().peers());
            assertEquals(List.of(), b.node.status().peers());
        }
    }

    @Test
    void gracefulCloseDisconnectsThePeerAtOnce() throws Exception {
        TestNode a = TestNode.start("a", "10.1.0.1/24", o -> o.peerTimeout(Duration.ofSeconds(60)));
        try (TestNode b = TestNode.start("b", "10.1.0.2/24",
                o -> o.peerTimeout(Duration.ofSeconds(60)).peer(a.address()))) {
            b.awaitPeers(1, WAIT);
            a.awaitPeers(1, WAIT); // a must know b to say goodbye to it
            int mark = b.mark();
            a.close();
            VpnEvent event = b.awaitEvent(mark, Duration.ofSeconds(2), e -> e instanceof VpnEvent.PeerDisconnected);
            assertEquals(VpnEvent.DisconnectReason.CLOSED, ((VpnEvent.PeerDisconnected) event).reason());
        }
    }
}
