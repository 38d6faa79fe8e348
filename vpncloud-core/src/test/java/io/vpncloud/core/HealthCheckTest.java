package io.vpncloud.core;

import io.vpncloud.api.VpnEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A failing health check withdraws the server's claims, so clients fail over without any crash. */
class HealthCheckTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void anUnhealthyServerGivesUpItsClaimAndTheClientFailsOver() throws Exception {
        AtomicBoolean healthyA = new AtomicBoolean(true);
        AtomicBoolean healthyB = new AtomicBoolean(true);
        try (TestNode serverA = TestNode.start("server-a", "10.0.0.1/24", o -> o.healthCheck(healthyA::get)
                .keepalive(Duration.ofMillis(100)).peerTimeout(Duration.ofSeconds(5)));
             TestNode serverB = TestNode.start("server-b", "10.0.0.1/24", o -> o.healthCheck(healthyB::get)
                     .keepalive(Duration.ofMillis(100)).peerTimeout(Duration.ofSeconds(5)).peer(serverA.address()));
             TestNode client = TestNode.start("client", "10.0.0.100/24", o -> o.keepalive(Duration.ofMillis(100))
                     .peerTimeout(Duration.ofSeconds(5)).peer(serverA.address()).peer(serverB.address()))) {
            client.awaitPeers(2, WAIT);
            client.awaitCondition(WAIT, "routing 10.0.0.1", () -> client.routeOwner("10.0.0.1").isPresent());
            TestNode active = client.routeOwner("10.0.0.1").orElseThrow().equals(serverA.id()) ? serverA : serverB;
            TestNode standby = active == serverA ? serverB : serverA;
            AtomicBoolean activeHealth = active == serverA ? healthyA : healthyB;

            int mark = client.mark();
            activeHealth.set(false);
            client.awaitEvent(mark, WAIT, e -> e instanceof VpnEvent.RouteOwnerChanged r
                    && r.newOwner().equals(Optional.of(standby.id())));
            assertEquals(2, client.node.status().peers().size(), "the unhealthy server stays a peer");

            // Healthy again: it claims again, behind the server that took over, so clients stay where they are.
            activeHealth.set(true);
            client.awaitCondition(WAIT, "seeing both claimants again", () -> client.node.status().claims().stream()
                    .filter(c -> c.range().toString().equals("10.0.0.1/32")).count() == 2);
            assertEquals(Optional.of(standby.id()), client.routeOwner("10.0.0.1"));
        }
    }
}
