package io.vpncloud.core;

import io.vpncloud.api.NodeId;
import io.vpncloud.api.VpnEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The VpnCloud high-availability tutorial in miniature: servers claim the same address, the client reaches exactly
 * one, and fails over when it goes away.
 */
class HighAvailabilityTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration KEEPALIVE = Duration.ofMillis(100);
    private static final Duration PEER_TIMEOUT = Duration.ofMillis(500);
    private static final String SHARED = "10.0.0.1";

    private static UnaryOperator<VpnNode.Builder> timers(UnaryOperator<VpnNode.Builder> more) {
        return b -> more.apply(b.keepalive(KEEPALIVE).peerTimeout(PEER_TIMEOUT));
    }

    @Test
    void clientReachesOneServerAndFailsOverWhenItCrashes() throws Exception {
        TestNode serverA = TestNode.start("server-a", "10.0.0.1/24", timers(b -> b));
        TestNode serverB = TestNode.start("server-b", "10.0.0.1/24", timers(b -> b.peer(serverA.address())));
        String addressA = serverA.address();
        try (TestNode client = TestNode.start("client", "10.0.0.100/24",
                timers(b -> b.peer(serverA.address()).peer(serverB.address())))) {
            client.awaitPeers(2, WAIT);
            TestNode active = activeServer(client, serverA, serverB);
            TestNode standby = active == serverA ? serverB : serverA;
            assertEquals(active.id(), firstConnected(client), "the server known longest is the active one");
            assertPacketsReachOnly(client, active, standby, 20);

            int mark = client.mark();
            long crashedAt = System.nanoTime();
            active.crash();
            client.awaitEvent(mark, WAIT, e -> e instanceof VpnEvent.RouteOwnerChanged r
                    && r.newOwner().equals(Optional.of(standby.id())));
            Duration failover = Duration.ofNanos(System.nanoTime() - crashedAt);
            Duration bound = PEER_TIMEOUT.plus(KEEPALIVE).plus(Duration.ofMillis(300));
            assertTrue(failover.compareTo(bound) < 0, "failover took " + failover + ", more than " + bound);
            assertTrue(failover.compareTo(Duration.ofSeconds(1)) < 0, "sub-second timers fail over in under 1 s");
            assertPacketsReachOnly(client, standby, null, 20);

            // The crashed server comes back on its old address: it rejoins as standby.
            TestNode restarted = TestNode.start(active.name, "10.0.0.1/24",
                    timers(b -> b.listen(active == serverA ? addressA : serverB.address())
                            .peer(standby.address())));
            try {
                client.awaitPeers(2, WAIT);
                assertEquals(Optional.of(standby.id()), client.routeOwner(SHARED));
                assertPacketsReachOnly(client, standby, restarted, 20);
            } finally {
                restarted.close();
            }
        } finally {
            serverA.close();
            serverB.close();
        }
    }

    @Test
    void gracefulStopSwitchesAtOnce() throws Exception {
        // A long peer timeout: only the CLOSE message can make the switch fast.
        UnaryOperator<VpnNode.Builder> slow = b -> b.peerTimeout(Duration.ofSeconds(60));
        TestNode serverA = TestNode.start("server-a", "10.0.0.1/24", slow);
        TestNode serverB = TestNode.start("server-b", "10.0.0.1/24", b -> slow.apply(b).peer(serverA.address()));
        try (TestNode client = TestNode.start("client", "10.0.0.100/24",
                b -> slow.apply(b).peer(serverA.address()).peer(serverB.address()))) {
            client.awaitPeers(2, WAIT);
            TestNode active = activeServer(client, serverA, serverB);
            TestNode standby = active == serverA ? serverB : serverA;
            active.awaitPeers(2, WAIT); // it says goodbye only to the peers it knows

            int mark = client.mark();
            long stoppedAt = System.nanoTime();
            active.close();
            client.awaitEvent(mark, WAIT, e -> e instanceof VpnEvent.RouteOwnerChanged r
                    && r.newOwner().equals(Optional.of(standby.id())));
            Duration switchTime = Duration.ofNanos(System.nanoTime() - stoppedAt);
            assertTrue(switchTime.compareTo(Duration.ofSeconds(1)) < 0, "switch took " + switchTime);
            assertPacketsReachOnly(client, standby, null, 10);
        } finally {
            serverA.close();
            serverB.close();
        }
    }

    @Test
    void withThreeServersFailoverFollowsTheClaimOrder() throws Exception {
        TestNode s1 = TestNode.start("server-1", "10.0.0.1/24", timers(b -> b));
        TestNode s2 = TestNode.start("server-2", "10.0.0.1/24", timers(b -> b.peer(s1.address())));
        TestNode s3 = TestNode.start("server-3", "10.0.0.1/24", timers(b -> b.peer(s1.address())));
        List<TestNode> servers = List.of(s1, s2, s3);
        try (TestNode client = TestNode.start("client", "10.0.0.100/24",
                timers(b -> b.peer(s1.address()).peer(s2.address()).peer(s3.address())))) {
            client.awaitPeers(3, WAIT);
            List<NodeId> order = client.node.status().claims().stream()
                    .filter(c -> c.range().toString().equals("10.0.0.1/32"))
                    .map(NodeStatus.Claim::nodeId).toList();
            assertEquals(3, order.size());
            TestNode first = byId(servers, order.get(0));
            TestNode second = byId(servers, order.get(1));
            TestNode third = byId(servers, order.get(2));
            assertPacketsReachOnly(client, first, second, 5);

            int mark = client.mark();
            first.crash();
            client.awaitEvent(mark, WAIT, e -> e instanceof VpnEvent.RouteOwnerChanged r
                    && r.newOwner().equals(Optional.of(second.id())));
            assertPacketsReachOnly(client, second, third, 5);

            mark = client.mark();
            second.crash();
            client.awaitEvent(mark, WAIT, e -> e instanceof VpnEvent.RouteOwnerChanged r
                    && r.newOwner().equals(Optional.of(third.id())));
            assertPacketsReachOnly(client, third, null, 5);
        } finally {
            servers.forEach(TestNode::close);
        }
    }

    @Test
    void aHostClaimBeatsAWiderClaimRegardlessOfConnectionOrder() throws Exception {
        // The secondary claims 10.0.0.0/31, the primary 10.0.0.1/32; the client knows the secondary first.
        TestNode secondary = TestNode.start("secondary", "10.0.0.1/24",
                timers(b -> b.autoClaim(false).claim("10.0.0.0/31")));
        TestNode primary = TestNode.start("primary", "10.0.0.1/24",
                timers(b -> b.autoClaim(false).claim("10.0.0.1/32").peer(secondary.address())));
        String primaryAddress = primary.address();
        try (TestNode client = TestNode.start("client", "10.0.0.100/24", timers(b -> b.peer(secondary.address())))) {
            client.awaitPeers(2, WAIT); // the primary is learned through the secondary
            client.awaitCondition(WAIT, "routing to the primary",
                    () -> client.routeOwner(SHARED).equals(Optional.of(primary.id())));
            assertPacketsReachOnly(client, primary, secondary, 10);

            int mark = client.mark();
            primary.crash();
            // The /32 loses its only claimant; packets for the address then match the /31 of the secondary.
            client.awaitEvent(mark, WAIT, e -> e instanceof VpnEvent.RouteOwnerChanged r
                    && r.range().toString().equals("10.0.0.1/32") && r.newOwner().isEmpty());
            assertEquals(Optional.of(secondary.id()), client.routeOwner(SHARED));
            assertPacketsReachOnly(client, secondary, null, 10);

            TestNode back = TestNode.start("primary", "10.0.0.1/24",
                    timers(b -> b.autoClaim(false).claim("10.0.0.1/32").listen(primaryAddress)
                            .peer(secondary.address())));
            try {
                client.awaitCondition(WAIT, "routing to the returned primary",
                        () -> client.routeOwner(SHARED).equals(Optional.of(back.id())));
                assertPacketsReachOnly(client, back, secondary, 10);
            } finally {
                back.close();
            }
        } finally {
            secondary.close();
        }
    }

    private static TestNode activeServer(TestNode client, TestNode... servers) throws InterruptedException {
        client.awaitCondition(WAIT, "routing " + SHARED, () -> client.routeOwner(SHARED).isPresent());
        NodeId owner = client.routeOwner(SHARED).orElseThrow();
        return byId(List.of(servers), owner);
    }

    private static TestNode byId(List<TestNode> nodes, NodeId id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no node with id " + id));
    }

    private static NodeId firstConnected(TestNode client) {
        return client.events().stream()
                .filter(e -> e instanceof VpnEvent.PeerConnected)
                .map(e -> ((VpnEvent.PeerConnected) e).nodeId())
                .findFirst().orElseThrow();
    }

    /** Sends {@code count} packets from the client to the shared address; all reach {@code to}, none {@code notTo}. */
    private static void assertPacketsReachOnly(TestNode client, TestNode to, TestNode notTo, int count)
            throws Exception {
        for (int i = 0; i < count; i++) {
            client.send("10.0.0.100", SHARED, "probe " + i);
        }
        for (int i = 0; i < count; i++) {
            byte[] packet = to.receive(WAIT).orElseThrow(() -> new AssertionError(to + " did not get all probes"));
            assertEquals("probe " + i, Ipv4Packets.payloadText(packet));
        }
        if (notTo != null) {
            assertTrue(notTo.receive(Duration.ofMillis(100)).isEmpty(), notTo + " got a probe meant for one server");
        }
    }
}
