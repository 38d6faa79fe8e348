package io.vpncloud.core;

import io.vpncloud.api.HealthCheck;
import io.vpncloud.api.IpRange;
import io.vpncloud.api.VpnEvent;
import io.vpncloud.api.VpnListener;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void claimsAreWithdrawnAfterFallFailuresAndRestoredAfterRiseSuccesses() throws Exception {
        Duration interval = Duration.ofMillis(100);
        int rise = 2;
        int fall = 3;
        AtomicBoolean healthy = new AtomicBoolean(true);
        AtomicInteger runsInState = new AtomicInteger();   // runs since the check's answer last changed
        AtomicLong firstRunInState = new AtomicLong();
        AtomicInteger runsAtEvent = new AtomicInteger();
        AtomicLong elapsedAtEvent = new AtomicLong();
        AtomicBoolean lastAnswer = new AtomicBoolean(true);
        HealthCheck check = () -> {
            boolean answer = healthy.get();
            if (answer != lastAnswer.getAndSet(answer)) {
                runsInState.set(0);
                firstRunInState.set(System.nanoTime());
            }
            runsInState.incrementAndGet();
            return answer;
        };
        VpnListener atEvent = event -> {
            if (event instanceof VpnEvent.ClaimsWithdrawn || event instanceof VpnEvent.ClaimsRestored) {
                runsAtEvent.set(runsInState.get());
                elapsedAtEvent.set(System.nanoTime() - firstRunInState.get());
            }
        };
        List<IpRange> claims = List.of(IpRange.parse("10.0.0.1/32"));
        try (TestNode server = TestNode.start("server", "10.0.0.1/24", o -> o
                .healthCheck(check, interval, interval, rise, fall).listener(atEvent))) {
            int mark = server.mark();
            healthy.set(false);
            server.awaitEvent(mark, WAIT, e -> e.equals(new VpnEvent.ClaimsWithdrawn(claims)));
            // The verdict falls on the fall-th failing run (one more may have started before the listener ran),
            // fall - 1 intervals after the first.
            assertRunsAndTime(fall, interval, runsAtEvent.get(), Duration.ofNanos(elapsedAtEvent.get()));
            assertEquals(List.of(), server.node.status().ownClaims().stream()
                    .filter(c -> c.role() == VpnEvent.Role.ACTIVE).toList());

            mark = server.mark();
            healthy.set(true);
            server.awaitEvent(mark, WAIT, e -> e.equals(new VpnEvent.ClaimsRestored(claims)));
            assertRunsAndTime(rise, interval, runsAtEvent.get(), Duration.ofNanos(elapsedAtEvent.get()));
        }
    }

    private static void assertRunsAndTime(int runs, Duration interval, int runsSeen, Duration elapsed) {
        assertTrue(runsSeen == runs || runsSeen == runs + 1, runsSeen + " runs before the event, not " + runs);
        Duration earliest = interval.multipliedBy(runs - 1).minusMillis(20);
        Duration latest = interval.multipliedBy(runs).plusSeconds(1); // one interval and a busy machine's delays
        assertTrue(elapsed.compareTo(earliest) >= 0 && elapsed.compareTo(latest) <= 0,
                "the event came " + elapsed + " after the first run in the new state");
    }
}
