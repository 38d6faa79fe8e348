package io.vpncloud.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The hub and switch modes with TUN devices, as the reference maps them: a hub sends what no claim places to every
 * peer; a switch also learns the IPv4 source addresses of the packets its peers send. Claims still come first.
 * Whether a packet went somewhere it should not is seen by a fence, an unplaced packet sent after it.
 */
class TunForwardingModesTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static TestNode[] three(UnaryOperator<VpnNode.Builder> mode) throws Exception {
        TestNode a = TestNode.start("a", "10.1.0.1/24", mode);
        TestNode b = TestNode.start("b", "10.1.0.2/24", x -> mode.apply(x).peer(a.address()));
        TestNode c = TestNode.start("c", "10.1.0.3/24", x -> mode.apply(x).peer(a.address()).peer(b.address()));
        for (TestNode node : new TestNode[] {a, b, c}) {
            node.awaitPeers(2, WAIT);
        }
        return new TestNode[] {a, b, c};
    }

    @Test
    void aHubSendsWhatNoClaimPlacesToEveryPeerAndClaimedAddressesToTheirClaimant() throws Exception {
        TestNode[] nodes = three(b -> b.mode(ForwardingMode.HUB));
        try {
            TestNode a = nodes[0];
            TestNode b = nodes[1];
            TestNode c = nodes[2];
            a.awaitCondition(WAIT, "routing 10.1.0.2", () -> a.routeOwner("10.1.0.2").isPresent());

            a.send("10.1.0.1", "10.1.0.99", "to nobody's address");
            a.send("10.1.0.1", "10.1.0.2", "to b's claim");
            a.send("10.1.0.1", "10.1.0.98", "fence");

            assertEquals("to nobody's address", text(b));
            assertEquals("to b's claim", text(b));
            assertEquals("fence", text(b));
            assertEquals("to nobody's address", text(c));
            assertEquals("fence", text(c));
            assertEquals(2, a.node.status().traffic().flooded());
        } finally {
            closeAll(nodes);
        }
    }

    @Test
    void aSwitchWithTunLearnsIpv4SourcesOfItsPeers() throws Exception {
        TestNode[] nodes = three(b -> b.mode(ForwardingMode.SWITCH).autoClaim(false));
        try {
            TestNode a = nodes[0];
            TestNode b = nodes[1];
            TestNode c = nodes[2];

            a.send("10.1.0.1", "10.1.0.2", "a to b, unknown");
            assertEquals("a to b, unknown", text(b));
            assertEquals("a to b, unknown", text(c));

            b.send("10.1.0.2", "10.1.0.1", "b to a, learned");
            b.send("10.1.0.2", "10.1.0.97", "fence");
            assertEquals("b to a, learned", text(a));
            assertEquals("fence", text(a));
            assertEquals("fence", text(c));
            assertEquals(1, b.node.status().traffic().flooded());
        } finally {
            closeAll(nodes);
        }
    }

    @Test
    void aRouterDropsWhatNoClaimPlaces() throws Exception {
        TestNode[] nodes = three(b -> b.mode(ForwardingMode.ROUTER));
        try {
            TestNode a = nodes[0];
            TestNode b = nodes[1];
            a.awaitCondition(WAIT, "routing 10.1.0.2", () -> a.routeOwner("10.1.0.2").isPresent());

            a.send("10.1.0.1", "10.1.0.99", "to nobody's address");
            a.send("10.1.0.1", "10.1.0.2", "to b's claim");

            assertEquals("to b's claim", text(b));
            assertEquals(1, a.node.status().traffic().dropped());
            assertEquals(0, a.node.status().traffic().flooded());
        } finally {
            closeAll(nodes);
        }
    }

    private static String text(TestNode node) throws InterruptedException {
        byte[] packet = node.receive(WAIT).orElseThrow(() -> new AssertionError(node + " got no packet"));
        return Ipv4Packets.payloadText(packet);
    }

    private static void closeAll(TestNode[] nodes) {
        for (int i = nodes.length - 1; i >= 0; i--) {
            nodes[i].close();
        }
    }
}
