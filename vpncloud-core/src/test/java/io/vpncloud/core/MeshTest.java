package io.vpncloud.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MeshTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void threeNodesFormAFullMeshWhenEachKnowsOnlyOneOther() throws Exception {
        Duration keepalive = Duration.ofMillis(200);
        try (TestNode a = TestNode.start("a", "10.2.0.1/24", o -> o.keepalive(keepalive).peerTimeout(Duration.ofSeconds(5)));
             TestNode b = TestNode.start("b", "10.2.0.2/24", o -> o.keepalive(keepalive).peerTimeout(Duration.ofSeconds(5)).peer(a.address()));
             TestNode c = TestNode.start("c", "10.2.0.3/24", o -> o.keepalive(keepalive).peerTimeout(Duration.ofSeconds(5)).peer(b.address()))) {
            a.awaitPeers(2, WAIT);
            b.awaitPeers(2, WAIT);
            c.awaitPeers(2, WAIT);

            // a and c learned of each other only through b, and now talk directly.
            c.send("10.2.0.3", "10.2.0.1", "c to a");
            assertEquals("c to a", Ipv4Packets.payloadText(a.receive(WAIT).orElseThrow()));
            a.send("10.2.0.1", "10.2.0.3", "a to c");
            assertEquals("a to c", Ipv4Packets.payloadText(c.receive(WAIT).orElseThrow()));
        }
    }
}
