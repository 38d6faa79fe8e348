package io.vpncloud.core;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.VpnEvent;
import io.vpncloud.api.VpnEvent.Role;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that spreads flows over the servers claiming one address: every server gets flows and is active, a
 * flow stays on its server, and when a server goes away (crash or failing health check) only its flows move.
 */
class SpreadFlowsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final IpRange SHARED = IpRange.parse("10.0.0.1/32");
    private static final int FLOWS = 60;
    private static final UnaryOperator<VpnNode.Builder> TIMERS =
            b -> b.keepalive(Duration.ofMillis(100)).peerTimeout(Duration.ofMillis(500));

    @Test
    void flowsSplitOverThreeServersAndOnlyTheCrashedServersFlowsMove() throws Exception {
        TestNode s1 = TestNode.start("server-1", "10.0.0.1/24", TIMERS);
        TestNode s2 = TestNode.start("server-2", "10.0.0.1/24", b -> TIMERS.apply(b).peer(s1.address()));
        TestNode s3 = TestNode.start("server-3", "10.0.0.1/24", b -> TIMERS.apply(b).peer(s1.address()));
        List<TestNode> servers = List.of(s1, s2, s3);
        try (TestNode client = TestNode.start("client", "10.0.0.100/24", b -> TIMERS.apply(b).spreadFlows(true)
                .peer(s1.address()).peer(s2.address()).peer(s3.address()))) {
            awaitClaimants(client, 3);

            Map<Integer, TestNode> before = FlowSpread.send(client, servers, FLOWS, 2, WAIT);
            assertEquals(Set.copyOf(servers), Set.copyOf(before.values()), "every server gets flows: " + before);
            for (TestNode server : servers) {
                server.awaitEvent(0, WAIT, e -> e.equals(new VpnEvent.RoleChanged(SHARED, Role.ACTIVE)));
            }

            TestNode crashed = before.get(0); // the server of flow 0, so that some flows must move
            List<TestNode> survivors = servers.stream().filter(s -> s != crashed).toList();
            crashed.crash();
            awaitClaimants(client, 2);

            Map<Integer, TestNode> after = FlowSpread.send(client, survivors, FLOWS, 1, WAIT);
            int moved = 0;
            for (int flow = 0; flow < FLOWS; flow++) {
                if (before.get(flow) == crashed) {
                    assertNotEquals(crashed, after.get(flow));
                    moved++;
                } else {
                    assertEquals(before.get(flow), after.get(flow), "flow " + flow + " of a survivor moved");
                }
            }
            assertTrue(moved > 0);
            assertEquals(moved, before.values().stream().filter(s -> s == crashed).count());
        } finally {
            servers.forEach(TestNode::close);
        }
    }

    @Test
    void withoutSpreadingOneServerTakesEveryFlowAndTheOtherStaysStandby() throws Exception {
        TestNode s1 = TestNode.start("server-1", "10.0.0.1/24", TIMERS);
        TestNode s2 = TestNode.start("server-2", "10.0.0.1/24", b -> TIMERS.apply(b).peer(s1.address()));
        List<TestNode> servers = List.of(s1, s2);
        try (TestNode client = TestNode.start("client", "10.0.0.100/24",
                b -> TIMERS.apply(b).peer(s1.address()).peer(s2.address()))) {
            awaitClaimants(client, 2);
            Map<Integer, TestNode> arrivals = FlowSpread.send(client, servers, FLOWS, 1, WAIT);
            Set<TestNode> used = Set.copyOf(arrivals.values());
            assertEquals(1, used.size(), "the default keeps the reference's rule: " + arrivals);
            TestNode standby = servers.stream().filter(s -> !used.contains(s)).findFirst().orElseThrow();
            assertEquals(Role.STANDBY, standby.node.status().ownClaims().get(0).role());
        } finally {
            servers.forEach(TestNode::close);
        }
    }

    @Test
    void aServerWhoseHealthCheckFailsLosesItsFlowsAndGetsTheSameFlowsBack() throws Exception {
        AtomicBoolean healthy = new AtomicBoolean(true);
        TestNode checked = TestNode.start("checked", "10.0.0.1/24", b -> TIMERS.apply(b)
                .healthCheck(healthy::get, Duration.ofMillis(50), Duration.ofMillis(50), 2, 2));
        TestNode other = TestNode.start("other", "10.0.0.1/24", b -> TIMERS.apply(b).peer(checked.address()));
        List<TestNode> servers = List.of(checked, other);
        try (TestNode client = TestNode.start("client", "10.0.0.100/24", b -> TIMERS.apply(b).spreadFlows(true)
                .peer(checked.address()).peer(other.address()))) {
            awaitClaimants(client, 2);
            Map<Integer, TestNode> before = FlowSpread.send(client, servers, FLOWS, 1, WAIT);
            Set<Integer> flowsOfChecked = flowsOf(before, checked);
            assertFalse(flowsOfChecked.isEmpty(), "the checked server gets flows: " + before);

            int mark = checked.mark();
            healthy.set(false);
            checked.awaitEvent(mark, WAIT, e -> e.equals(new VpnEvent.ClaimsWithdrawn(List.of(SHARED))));
            awaitClaimants(client, 1);
            Map<Integer, TestNode> withdrawn = FlowSpread.send(client, servers, FLOWS, 1, WAIT);
            assertEquals(Set.of(other), Set.copyOf(withdrawn.values()));
            checked.awaitEvent(mark, WAIT, e -> e.equals(new VpnEvent.RoleChanged(SHARED, Role.STANDBY)));

            mark = checked.mark();
            healthy.set(true);
            checked.awaitEvent(mark, WAIT, e -> e.equals(new VpnEvent.ClaimsRestored(List.of(SHARED))));
            awaitClaimants(client, 2);
            Map<Integer, TestNode> restored = FlowSpread.send(client, servers, FLOWS, 1, WAIT);
            assertEquals(before, restored, "rendezvous hashing gives the returning server the same flows");
            checked.awaitEvent(mark, WAIT, e -> e.equals(new VpnEvent.RoleChanged(SHARED, Role.ACTIVE)));
        } finally {
            servers.forEach(TestNode::close);
        }
    }

    private static Set<Integer> flowsOf(Map<Integer, TestNode> arrivals, TestNode server) {
        return arrivals.entrySet().stream().filter(e -> e.getValue() == server).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    private static void awaitClaimants(TestNode client, int count) throws InterruptedException {
        client.awaitCondition(WAIT, count + " claimants of " + SHARED, () -> client.node.status().claims().stream()
                .filter(c -> c.range().equals(SHARED)).count() == count);
    }
}
