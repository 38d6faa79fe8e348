package io.vpncloud.cli.system;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The VpnCloud high-availability tutorial typed as an operator types it, on three hosts of their own (network, PID,
 * mount and UTS namespaces, see {@link TutorialHosts}) with {@code vpncloud} on the PATH (bin/vpncloud): two servers
 * claim 10.0.0.1 and serve their host name with the tutorial's socat, the client asks 10.0.0.1 which server
 * answers; {@code killall -9 vpncloud} on the answering server ends its node (found by the process name), and the
 * client then reaches the other server.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class HaTutorialCommandsIT {
    private static final List<String> SERVERS = List.of("server-a", "server-b");
    private static final String HOSTNAME_SERVER = "socat -U tcp-listen:8000,reuseaddr,fork exec:hostname";
    private static final String ASK = "timeout 2 socat -u tcp:10.0.0.1:8000,connect-timeout=1 -";
    private static final Duration START_LIMIT = Duration.ofSeconds(40);
    /** Generous for a loaded machine; the tutorial's promise (peer timeout plus 2 s) is HaTutorialIT's to check. */
    private static final Duration FAILOVER_LIMIT = Duration.ofSeconds(20);

    @BeforeEach
    void requireRootAndTun() {
        SystemTestEnvironment.assumeUsable();
    }

    @Test
    void killallOnTheAnsweringServerMovesTheClientToTheOtherServer() throws Exception {
        Path commands = SystemTestEnvironment.vpncloudJar().getParent().getParent().resolve("bin");
        try (TutorialHosts hosts = TutorialHosts.create("ha-tutorial-commands",
                List.of("server-a", "server-b", "client"), commands)) {
            hosts.start("server-a", "node",
                    "vpncloud --password mysecret --ip 10.0.0.1 -c server-b --peer-timeout 5 --keepalive 2");
            hosts.start("server-b", "node",
                    "vpncloud --password mysecret --ip 10.0.0.1 -c server-a --peer-timeout 5 --keepalive 2");
            hosts.start("server-a", "hostname-server", HOSTNAME_SERVER);
            hosts.start("server-b", "hostname-server", HOSTNAME_SERVER);
            hosts.start("client", "node", "vpncloud --password mysecret --ip 10.0.0.100 -c server-a -c server-b "
                    + "--peer-timeout 5 --keepalive 2");

            String[] answer = new String[1];
            Duration firstAnswer = Polling.await("an answer from 10.0.0.1:8000 on the client", START_LIMIT, () -> {
                answer[0] = hosts.run("client", ASK).firstLine();
                return SERVERS.contains(answer[0]);
            }, hosts::diagnostics);
            String active = answer[0];
            String standby = active.equals("server-a") ? "server-b" : "server-a";
            System.out.println(active + " answered the client after " + firstAnswer.toMillis() + " ms");
            // Failing over needs the other server known to the client before the crash.
            String connected = "connected to " + hosts.address(standby) + ":";
            Polling.await("the client to connect to " + standby, START_LIMIT,
                    () -> logContains(hosts.log("client", "node"), connected), hosts::diagnostics);

            for (String host : List.of(active, standby, "client")) {
                assertEquals(1, pids(hosts.run(host, "pgrep -x vpncloud")).size(),
                        () -> "pgrep -x vpncloud on " + host + " finds its one node\n" + hosts.diagnostics());
                assertEquals(1, pids(hosts.run(host, "pidof vpncloud")).size(),
                        () -> "pidof vpncloud on " + host + " finds its one node\n" + hosts.diagnostics());
            }

            long kill = System.nanoTime();
            CommandResult killall = hosts.run(active, "killall -9 vpncloud");
            assertTrue(killall.succeeded(), () -> killall.describe() + "\n" + hosts.diagnostics());
            Polling.await("the node of " + active + " to end", Duration.ofSeconds(10),
                    () -> pids(hosts.run(active, "pgrep -x vpncloud")).isEmpty(), hosts::diagnostics);
            assertEquals(1, pids(hosts.run(standby, "pgrep -x vpncloud")).size(),
                    () -> "killall on " + active + " leaves the node of " + standby + "\n" + hosts.diagnostics());

            Polling.await(standby + " to answer the client after killall -9 vpncloud on " + active, FAILOVER_LIMIT,
                    () -> hosts.run("client", ASK).firstLine().equals(standby), hosts::diagnostics);
            System.out.println("after killall -9 vpncloud on " + active + ", " + standby + " answered after "
                    + Duration.ofNanos(System.nanoTime() - kill).toMillis() + " ms");
        }
    }

    private static List<String> pids(CommandResult result) {
        return result.output().lines().flatMap(line -> List.of(line.strip().split("\\s+")).stream())
                .filter(word -> word.matches("[0-9]+")).toList();
    }

    private static boolean logContains(Path log, String text) {
        try {
            return Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(text);
        } catch (IOException e) {
            return false;
        }
    }
}
