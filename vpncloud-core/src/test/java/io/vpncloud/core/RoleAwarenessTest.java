package io.vpncloud.core;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.VpnEvent;
import io.vpncloud.api.VpnEvent.Role;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Servers know whether clients use them (active) or not (standby), and learn it again after a failover. */
class RoleAwarenessTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final IpRange SHARED = IpRange.parse("10.0.0.1/32");

    @Test
    void theServerTheClientUsesIsActiveTheOtherStandbyAndFailoverSwapsThem() throws Exception {
        var timers = (java.util.function.UnaryOperator<VpnNode.Builder>) b -> b.keepalive(Duration.ofMillis(100))
                .peerTimeout(Duration.ofMillis(500));
        TestNode serverA = TestNode.start("server-a", "10.0.0.1/24", timers);
        TestNode serverB = TestNode.start("server-b", "10.0.0.1/24", b -> timers.apply(b).peer(serverA.address()));
        try (TestNode client = TestNode.start("client", "10.0.0.100/24",
                b -> timers.apply(b).peer(serverA.address()).peer(serverB.address()))) {
            client.awaitPeers(2, WAIT);
            client.awaitCondition(WAIT, "routing 10.0.0.1", () -> client.routeOwner("10.0.0.1").isPresent());
            TestNode active = client.routeOwner("10.0.0.1").orElseThrow().equals(serverA.id()) ? serverA : serverB;
            TestNode standby = active == serverA ? serverB : serverA;

            active.awaitEvent(0, WAIT, e -> e.equals(new VpnEvent.RoleChanged(SHARED, Role.ACTIVE)));
            assertEquals(List.of(new NodeStatus.OwnClaim(SHARED, Role.ACTIVE, 1)), active.node.status().ownClaims());
            assertEquals(List.of(new NodeStatus.OwnClaim(SHARED, Role.STANDBY, 0)), standby.node.status().ownClaims());

            int mark = standby.mark();
            active.crash();
            standby.awaitEvent(mark, WAIT, e -> e.equals(new VpnEvent.RoleChanged(SHARED, Role.ACTIVE)));
        } finally {
            serverA.close();
            serverB.close();
        }
    }
}
