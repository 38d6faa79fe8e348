package io.vpncloud.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs the benchmark harness in its smoke mode ({@code bench/run-all.sh --smoke}: one trial of two seconds
 * per measurement, throughput with TUN and TAP devices) against this module's {@code vpncloud} command, so the
 * harness cannot rot unnoticed.
 * It needs root and {@code /dev/net/tun} (network namespaces, TUN devices) and is skipped without them.
 */
class BenchHarnessSmokeTest {

    private static final String MAIN_CLASS = "io.vpncloud.cli.VpncloudCommand";
    /** Another run on the machine (a developer's, another checkout's test) may hold the harness's lock this long. */
    private static final long LOCK_WAIT_MINUTES = 3;
    private static final long TIME_LIMIT_MINUTES = 4 + LOCK_WAIT_MINUTES;
    private static final String NUMBER = "[0-9]+(\\.[0-9]+)?";
    private static final String RANGE = "\\(" + NUMBER + "–" + NUMBER + "\\)";

    @Test
    void smokeRunPrintsEveryRowWithNumbers() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/net/tun")), "skipped: /dev/net/tun is missing (modprobe tun)");
        assumeTrue(isRoot(), "skipped: the benchmark harness needs root for network namespaces and TUN devices");
        Path repository = Path.of("").toAbsolutePath().getParent();
        Path runAll = repository.resolve("bench/run-all.sh");
        assertTrue(Files.isRegularFile(runAll), "the harness is missing: " + runAll);
        Path out = Path.of("target/bench-smoke").toAbsolutePath();
        TestFiles.deleteRecursively(out.resolve("logs")); // the harness appends to the logs of an earlier run
        Files.createDirectories(out);

        ProcessBuilder builder = new ProcessBuilder("bash", runAll.toString(), "--smoke", "--subsecond",
                "--type", "tap",
                "--node-cmd", writeNodeCommand(out).toString(), "--label", "vpncloud-java",
                "--out", out.resolve("logs").toString())
                .redirectOutput(out.resolve("stdout.txt").toFile())
                .redirectError(out.resolve("stderr.txt").toFile());
        // A test installs nothing: with a tool missing the harness stops and names the package (.ci/run installs it).
        builder.environment().put("VCBENCH_NO_INSTALL", "1");
        builder.environment().put("VCBENCH_LOCK_WAIT", Long.toString(TimeUnit.MINUTES.toSeconds(LOCK_WAIT_MINUTES)));
        Process harness = builder.start();
        if (!harness.waitFor(TIME_LIMIT_MINUTES, TimeUnit.MINUTES)) {
            harness.destroy(); // SIGTERM: the harness removes its namespaces
            harness.waitFor(30, TimeUnit.SECONDS);
            fail("the smoke run took longer than " + TIME_LIMIT_MINUTES + " minutes; logs in " + out);
        }
        String table = Files.readString(out.resolve("stdout.txt"), StandardCharsets.UTF_8);
        String log = Files.readString(out.resolve("stderr.txt"), StandardCharsets.UTF_8);
        assertEquals(0, harness.exitValue(), () -> "bench/run-all.sh --smoke failed:\n" + table + log);

        for (String algorithm : List.of("aes128", "chacha20", "plain")) {
            for (String device : List.of("TUN", "TAP")) {
                String path = algorithm + ", " + device;
                assertRow(table, "TCP throughput, " + path + " \\(.*\\)",
                        NUMBER + " Gbit/s " + RANGE, NUMBER + " Gbit/s " + RANGE);
                assertRow(table, "ratio VPN / bare veth, " + path, NUMBER, "1");
                assertRow(table, "CPU seconds of both nodes per GByte carried, " + path, NUMBER, "");
                assertRow(table, "ping RTT average, " + path, NUMBER + " ms", NUMBER + " ms");
            }
        }
        for (String timers : List.of("--peer-timeout 5 --keepalive 2", "--peer-timeout 500ms --keepalive 100ms")) {
            for (String mode : List.of("failover after kill -9", "switch after SIGTERM")) {
                assertRow(table, mode + " of the active server, " + timers + " \\(1 trial\\)",
                        "median " + NUMBER + " s " + RANGE);
            }
        }
        // Round trips: first pings of a fresh pair (none on the bare veth), fast, slow, warm-up throughput.
        assertRow(table, "bare veth", "", NUMBER + " ms " + RANGE, NUMBER + " ms " + RANGE, "");
        assertRow(table, "vpncloud-java", NUMBER + " ms " + RANGE, NUMBER + " ms " + RANGE, NUMBER + " ms " + RANGE,
                NUMBER + " Gbit/s " + RANGE);
    }

    /** Asserts a Markdown table row "| MEASURE | CELL | CELL |" whose cells match the given patterns. */
    private static void assertRow(String table, String measure, String... cells) {
        StringBuilder pattern = new StringBuilder("(?m)^\\| ").append(measure).append(" \\|");
        for (String cell : cells) {
            pattern.append(cell.isEmpty() ? "" : " " + cell).append(" \\|");
        }
        String row = pattern.append('$').toString();
        assertTrue(Pattern.compile(row).matcher(table).find(), () -> "no row matching " + row + " in:\n" + table);
    }

    /** A node command running this module's classes, so the smoke run needs no packaged jar. */
    private static Path writeNodeCommand(Path directory) throws IOException {
        Path script = directory.resolve("vpncloud-under-test");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(script, "#!/bin/sh\nexec " + shellQuoted(java) + " -cp "
                + shellQuoted(System.getProperty("java.class.path")) + " " + MAIN_CLASS + " \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    private static String shellQuoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private static boolean isRoot() throws IOException {
        return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }
}
