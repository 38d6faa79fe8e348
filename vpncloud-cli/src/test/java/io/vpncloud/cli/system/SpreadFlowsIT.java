package io.vpncloud.cli.system;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Load spreading with the {@code vpncloud} command on real TUN devices: two servers share 10.0.0.1, a client with
 * {@code --spread-flows} opens 100 TCP connections (one source port each) to the hostname servers behind it. Both
 * servers answer a fair share; when one is killed only its connections move; when a server's health command fails
 * its connections move within the check's interval x fall plus one keepalive, and come back after rise passes.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SpreadFlowsIT {
    private static final String SHARED_IP = "10.0.0.1";
    private static final int FLOWS = 100;
    private static final int FIRST_SOURCE_PORT = 41000;
    /** A fair share of 100 flows over two servers: 50 give or take four standard deviations (5 each). */
    private static final int FAIR_MIN = 30;
    private static final int FAIR_MAX = 70;
    private static final Duration HEALTH_INTERVAL = Duration.ofMillis(200);
    private static final int HEALTH_FALL = 3;
    private static final int HEALTH_RISE = 2;
    /**
     * Starting a process can take longer than the interval while five JVMs start on two cores: with the timeout at
     * its default (the interval), three slow starts of a passing {@code test -e} withdrew the claims mid-test. The
     * check fails at once when the file is gone, so a longer timeout does not slow the failover measured here.
     */
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);
    /**
     * Rounds of connections are the resolution of the times: a round takes up to the probe's connection timeout
     * (3 s), and the round under way when a route changes can lose connections that began on the old server. So two
     * rounds and a second.
     */
    private static final Duration ROUND_SLACK = Duration.ofSeconds(7);

    @BeforeEach
    void requireRootAndTun() {
        SystemTestEnvironment.assumeUsable();
    }

    @Test
    void hundredConnectionsSpreadOverBothServersAndOnlyTheKilledServersConnectionsMove() throws Exception {
        try (VpnTestbed testbed = VpnTestbed.create("spread-flows", List.of("spread-a", "spread-b", "spread-cl"))) {
            Map<String, BackgroundProcess> servers = Map.of(
                    "spread-a", testbed.startNode("spread-a", "--ip", SHARED_IP, "-c", "spread-b"),
                    "spread-b", testbed.startNode("spread-b", "--ip", SHARED_IP, "-c", "spread-a"));
            testbed.startFlowHostnameServer("spread-a");
            testbed.startFlowHostnameServer("spread-b");
            testbed.startNode("spread-cl", "--ip", "10.0.0.100", "-c", "spread-a", "-c", "spread-b",
                    "--spread-flows");
            FlowProbe flows = spreadingClientReady(testbed);

            Map<Integer, String> before = flows.awaitRound("every connection answered by one of both servers",
                    round -> bothAnswerEverything(round), System.nanoTime(), VpnTestbed.ANSWER_LIMIT).answers();
            assertFairShares(before, testbed);
            String killed = before.get(FIRST_SOURCE_PORT);
            String survivor = killed.equals("spread-a") ? "spread-b" : "spread-a";
            List<Integer> survivorsFlows = FlowProbe.flowsOf(before, survivor);

            long kill = System.nanoTime();
            assertEquals(128 + 9, servers.get(killed).kill(), () -> "SIGKILL ends the JVM\n" + testbed.diagnostics());
            // Before the client notices (peer timeout 5 s), the survivor's connections go on as before.
            Map<Integer, String> meanwhile = flows.round();
            for (int port : survivorsFlows) {
                assertEquals(survivor, meanwhile.get(port), () -> "connection from port " + port + " of " + survivor
                        + " was disturbed by the crash of " + killed + ": " + meanwhile + "\n" + testbed.diagnostics());
            }
            FlowProbe.TimedRound after = flows.awaitRound("every connection answered by " + survivor,
                    round -> FlowProbe.flowsOf(round, survivor).size() == FLOWS, kill,
                    VpnTestbed.CRASH_FAILOVER_LIMIT.plus(ROUND_SLACK));
            System.out.println("after kill -9 of " + killed + ", " + survivor + " answered all " + FLOWS
                    + " connections after " + after.after().toMillis() + " ms");
        }
    }

    @Test
    void aFailingHealthCommandMovesTheServersConnectionsAndAPassingOneBringsTheSameBack() throws Exception {
        try (VpnTestbed testbed = VpnTestbed.create("spread-health", List.of("spread-a", "spread-b", "spread-cl"))) {
            Path healthy = testbed.directory().resolve("spread-a-healthy");
            Files.writeString(healthy, "ok\n");
            testbed.startNode("spread-a", "--ip", SHARED_IP, "-c", "spread-b",
                    "--health-check", "test -e '" + healthy + "'",
                    "--health-interval", HEALTH_INTERVAL.toMillis() + "ms",
                    "--health-timeout", HEALTH_TIMEOUT.toMillis() + "ms",
                    "--health-fall", Integer.toString(HEALTH_FALL), "--health-rise", Integer.toString(HEALTH_RISE));
            testbed.startNode("spread-b", "--ip", SHARED_IP, "-c", "spread-a");
            testbed.startFlowHostnameServer("spread-a");
            testbed.startFlowHostnameServer("spread-b");
            testbed.startNode("spread-cl", "--ip", "10.0.0.100", "-c", "spread-a", "-c", "spread-b",
                    "--spread-flows");
            FlowProbe flows = spreadingClientReady(testbed);
            Map<Integer, String> before = flows.awaitRound("every connection answered by one of both servers",
                    round -> bothAnswerEverything(round), System.nanoTime(), VpnTestbed.ANSWER_LIMIT).answers();
            assertFairShares(before, testbed);

            long failing = System.nanoTime();
            Files.delete(healthy);
            Duration withdrawLimit = HEALTH_INTERVAL.multipliedBy(HEALTH_FALL).plus(VpnTestbed.KEEPALIVE)
                    .plus(ROUND_SLACK);
            FlowProbe.TimedRound withdrawn = flows.awaitRound("every connection answered by spread-b",
                    round -> FlowProbe.flowsOf(round, "spread-b").size() == FLOWS, failing, withdrawLimit);
            System.out.println("the health command of spread-a failing: all connections on spread-b after "
                    + withdrawn.after().toMillis() + " ms");
            assertTrue(testbed.events("spread-a").lines().stream().anyMatch(l -> l.startsWith("claims_withdrawn")),
                    testbed::diagnostics);

            long passing = System.nanoTime();
            Files.writeString(healthy, "ok\n");
            Duration restoreLimit = HEALTH_INTERVAL.multipliedBy(HEALTH_RISE).plus(VpnTestbed.KEEPALIVE)
                    .plus(ROUND_SLACK);
            FlowProbe.TimedRound restored = flows.awaitRound("the first round's servers again", before::equals,
                    passing, restoreLimit);
            System.out.println("the health command of spread-a passing again: the same connections back on"
                    + " spread-a after " + restored.after().toMillis() + " ms");
            assertTrue(testbed.events("spread-a").lines().stream().anyMatch(l -> l.startsWith("claims_restored")),
                    testbed::diagnostics);
        }
    }

    /** Waits until the client is connected to both servers, and returns its connections' probe. */
    private static FlowProbe spreadingClientReady(VpnTestbed testbed) throws InterruptedException {
        testbed.awaitPing("spread-cl", SHARED_IP);
        testbed.awaitConnection("spread-cl", "spread-a", 1);
        testbed.awaitConnection("spread-cl", "spread-b", 1);
        return testbed.flowProbe("spread-cl", SHARED_IP, FIRST_SOURCE_PORT, FLOWS);
    }

    /** Whether every connection was answered and both servers answered some (the client knows both claims). */
    private static boolean bothAnswerEverything(Map<Integer, String> round) {
        int a = FlowProbe.flowsOf(round, "spread-a").size();
        int b = FlowProbe.flowsOf(round, "spread-b").size();
        return a + b == FLOWS && a > 0 && b > 0;
    }

    private static void assertFairShares(Map<Integer, String> round, VpnTestbed testbed) {
        for (String server : List.of("spread-a", "spread-b")) {
            int share = FlowProbe.flowsOf(round, server).size();
            assertTrue(share >= FAIR_MIN && share <= FAIR_MAX, () -> server + " answered " + share + " of " + FLOWS
                    + " connections, not a fair share: " + round + "\n" + testbed.diagnostics());
        }
        System.out.println("spread-a answered " + FlowProbe.flowsOf(round, "spread-a").size() + ", spread-b "
                + FlowProbe.flowsOf(round, "spread-b").size() + " of " + FLOWS + " connections");
    }
}
