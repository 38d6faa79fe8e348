package io.vpncloud.cli.system;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code --user nobody}: the node opens its TUN device and socket as root, then every thread of the JVM runs as
 * nobody (as {@code /proc/PID/task/TID/status} shows), and the node still carries traffic both ways.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PrivilegeDropIT {
    private static final Duration DROP_LIMIT = Duration.ofSeconds(20);

    @BeforeEach
    void requireRootAndTun() {
        SystemTestEnvironment.assumeUsable();
    }

    @Test
    void aNodeRunningAsNobodyStillCarriesTraffic() throws Exception {
        String nobody = uidOf("nobody");
        try (VpnTestbed testbed = VpnTestbed.create("privilege-drop", List.of("dropper", "peer"))) {
            BackgroundProcess dropper = testbed.startNode("dropper", "--ip", "10.0.0.1", "--user", "nobody",
                    "-c", "peer");
            Polling.await("every thread of the node to run as uid " + nobody, DROP_LIMIT,
                    () -> threadUids(dropper.pid()).stream().allMatch(nobody::equals)
                            && !threadUids(dropper.pid()).isEmpty(), testbed::diagnostics);

            testbed.startNode("peer", "--ip", "10.0.0.2", "-c", "dropper");
            Duration answered = testbed.awaitPing("peer", "10.0.0.1");
            System.out.println("ping through the node running as nobody answered after " + answered.toMillis()
                    + " ms");
            testbed.awaitPing("dropper", "10.0.0.2");
            List<String> uids = threadUids(dropper.pid());
            assertEquals(List.of(nobody), uids.stream().distinct().toList(),
                    () -> "real, effective, saved and filesystem uid of every thread\n" + testbed.diagnostics());
        }
    }

    /** The four uids (real, effective, saved, filesystem) of every thread of the process. */
    private static List<String> threadUids(long pid) {
        List<String> uids = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                for (String line : Files.readAllLines(task.resolve("status"), StandardCharsets.UTF_8)) {
                    if (line.startsWith("Uid:")) {
                        uids.addAll(List.of(line.substring(4).strip().split("\\s+")));
                    }
                }
            }
        } catch (IOException e) {
            return List.of(); // a thread ended while listing; asked again
        }
        return uids;
    }

    private static String uidOf(String user) throws IOException, InterruptedException {
        Process id = new ProcessBuilder("id", "-u", user).redirectErrorStream(true).start();
        String out = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, id.waitFor(), () -> "id -u " + user + ": " + out);
        return out;
    }
}
