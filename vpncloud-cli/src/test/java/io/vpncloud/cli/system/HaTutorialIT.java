package io.vpncloud.cli.system;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The VpnCloud high-availability tutorial, word for word with the {@code vpncloud} command on real TUN devices:
 * server-a and server-b both have the address 10.0.0.1 and are each other's peer, the client 10.0.0.100 knows both.
 * The client reaches one of them; when that one crashes ({@code kill -9}; its host stays up and answers with ICMP
 * "port unreachable"), the other answers within a second, far below the 5 s peer timeout, and the client's events
 * say that the crashed server was found unreachable; a restarted server does not take its clients back; a graceful
 * stop moves them within a second.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class HaTutorialIT {
    private static final String SHARED_IP = "10.0.0.1";
    private static final List<String> SERVERS = List.of("server-a", "server-b");
    /**
     * The crashed server's host reports the client's datagrams (ICMP), the client probes for 150 ms and switches:
     * a fraction of the peer timeout, with room for a loaded machine and the probe's own 100 ms steps.
     */
    private static final Duration CRASH_FAILOVER_LIMIT = Duration.ofSeconds(1);
    /** A graceful stop tells the peers, so nothing has to time out. */
    private static final Duration GRACEFUL_FAILOVER_LIMIT = Duration.ofSeconds(1);
    private static final Duration EXIT_LIMIT = Duration.ofSeconds(10);

    @BeforeEach
    void requireRootAndTun() {
        SystemTestEnvironment.assumeUsable();
    }

    @Test
    void theClientFailsOverOnACrashAndOnAGracefulStopAndStaysWhenTheCrashedServerReturns() throws Exception {
        try (VpnTestbed testbed = VpnTestbed.create("ha-tutorial", List.of("server-a", "server-b", "client"))) {
            Map<String, BackgroundProcess> servers = Map.of(
                    "server-a", testbed.startNode("server-a", "--ip", SHARED_IP, "-c", "server-b"),
                    "server-b", testbed.startNode("server-b", "--ip", SHARED_IP, "-c", "server-a"));
            testbed.startHostnameServer("server-a");
            testbed.startHostnameServer("server-b");
            testbed.startNode("client", "--ip", "10.0.0.100", "-c", "server-a", "-c", "server-b");

            Duration meshFormed = testbed.awaitPing("client", SHARED_IP);
            System.out.println("ping from the client answered after " + meshFormed.toMillis() + " ms");
            HostnameProbe probe = testbed.hostnameProbe("client", SHARED_IP);
            String active = probe.awaitAnswer("either server", SERVERS::contains, System.nanoTime(),
                    VpnTestbed.ANSWER_LIMIT).name();
            String standby = active.equals("server-a") ? "server-b" : "server-a";
            // Failing over needs the other server known to the client before the crash.
            testbed.awaitConnection("client", standby, 1);

            long crash = System.nanoTime();
            assertEquals(128 + 9, servers.get(active).kill(), () -> "SIGKILL ends the JVM\n" + testbed.diagnostics());
            probe.assertAnsweredWithin(standby, crash, CRASH_FAILOVER_LIMIT, "kill -9 of " + active);
            testbed.awaitDisconnection("client", active, "unreachable");

            testbed.restart(servers.get(active));
            testbed.awaitConnection("client", active, 2);
            probe.assertAlwaysAnsweredBy(standby, 12, active + " returned");

            long stop = System.nanoTime();
            servers.get(standby).terminate();
            probe.assertAnsweredWithin(active, stop, GRACEFUL_FAILOVER_LIMIT, "SIGTERM to " + standby);
            assertEquals(0, servers.get(standby).awaitExit(EXIT_LIMIT),
                    () -> "a graceful stop ends with status 0 (docs/CLI.md)\n" + testbed.diagnostics());
        }
    }
}
