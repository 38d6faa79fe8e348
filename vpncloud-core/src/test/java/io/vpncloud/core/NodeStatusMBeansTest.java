package io.vpncloud.core;

import io.vpncloud.api.VpnEvent;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A node's status bean, read as a JMX client reads it: through the platform MBean server by name. */
class NodeStatusMBeansTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void showsPeersClaimsAndCountersThroughThePlatformMBeanServer() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try (TestNode a = TestNode.start("a", "10.1.0.1/24", o -> o);
             TestNode b = TestNode.start("b", "10.1.0.2/24", o -> o.peer(a.address()))) {
            a.awaitPeers(1, WAIT);
            b.awaitPeers(1, WAIT);
            b.send("10.1.0.2", "10.1.0.1", "to a");
            assertEquals("to a", Ipv4Packets.payloadText(a.receive(WAIT).orElseThrow()));
            a.awaitCondition(WAIT, "counting the packet", () -> a.node.status().traffic().packetsIn() == 1);
            // b tells a that it routes 10.1.0.1 to a in its next NodeInfo.
            a.awaitEvent(0, WAIT, e -> e instanceof VpnEvent.RoleChanged r && r.role() == VpnEvent.Role.ACTIVE);

            ObjectName name = NodeStatusMBeans.register(a.node);
            try {
                assertEquals(new ObjectName("io.vpncloud:type=VpnNode,id=" + a.id()), name);
                assertEquals(a.id().toString(), server.getAttribute(name, "NodeId"));
                assertEquals(1, server.getAttribute(name, "PeerCount"));
                String[] peers = (String[]) server.getAttribute(name, "Peers");
                assertEquals(1, peers.length);
                assertTrue(peers[0].contains(b.id().toString()), peers[0]);
                String[] own = (String[]) server.getAttribute(name, "OwnClaims");
                assertArrayEquals(new String[] {"10.1.0.1/32 ACTIVE 1"}, own, Arrays.toString(own));
                String[] claims = (String[]) server.getAttribute(name, "Claims");
                assertTrue(claims[0].startsWith("10.1.0.2/32 " + b.id()) && claims[0].endsWith(" active"),
                        Arrays.toString(claims));
                assertEquals(1L, server.getAttribute(name, "PacketsIn"));
                assertEquals((long) Ipv4Packets.udp("10.1.0.2", "10.1.0.1", "to a").length,
                        server.getAttribute(name, "BytesIn"));
                assertEquals(0L, server.getAttribute(name, "Invalid"));
            } finally {
                NodeStatusMBeans.unregister(a.node);
            }
            assertFalse(server.isRegistered(name));
        }
    }
}
