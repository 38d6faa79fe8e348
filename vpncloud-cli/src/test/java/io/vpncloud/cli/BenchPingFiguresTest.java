package io.vpncloud.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark harness reads ping's round trips by name from its summary line ({@code bench_ping_ms} in
 * {@code bench/lib.sh}): it once took the fifth number of the line, which in iputils' summary is the minimum, and
 * reported it as the average.
 */
class BenchPingFiguresTest {
    private static final String IPUTILS = """
            PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.

            --- 10.0.0.2 ping statistics ---
            1000 packets transmitted, 1000 received, 0% packet loss, time 10989ms
            rtt min/avg/max/mdev = 0.177/0.350/1.535/0.090 ms
            """;
    private static final String BUSYBOX = """
            --- 10.0.0.2 ping statistics ---
            5 packets transmitted, 5 packets received, 0% packet loss
            round-trip min/avg/max = 0.101/0.202/0.404 ms
            """;

    @TempDir
    Path directory;

    @Test
    void eachFigureOfIputilsSummaryByItsName() throws Exception {
        Path output = write("iputils.txt", IPUTILS);
        assertEquals("0.350", figure(output, "avg"));
        assertEquals("0.177", figure(output, "min"));
        assertEquals("1.535", figure(output, "max"));
        assertEquals("0.090", figure(output, "mdev"));
        assertEquals("0.350", run("bench_ping_avg_ms " + output));
    }

    @Test
    void busyboxSummaryHasNoDeviation() throws Exception {
        Path output = write("busybox.txt", BUSYBOX);
        assertEquals("0.202", figure(output, "avg"));
        assertEquals("0.101", figure(output, "min"));
        assertEquals("", figure(output, "mdev"));
    }

    @Test
    void nothingWhenAllPingsWereLost() throws Exception {
        Path output = write("lost.txt", "--- 10.0.0.2 ping statistics ---\n"
                + "3 packets transmitted, 0 received, 100% packet loss, time 2043ms\n");
        assertEquals("", figure(output, "avg"));
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(directory.resolve(name), text, StandardCharsets.UTF_8);
    }

    private static String figure(Path output, String name) throws Exception {
        return run("bench_ping_ms " + output + " " + name);
    }

    /** Runs a shell command with the harness's functions defined; its standard output, trimmed. */
    private static String run(String command) throws Exception {
        Path lib = Path.of("").toAbsolutePath().getParent().resolve("bench/lib.sh");
        Process shell = new ProcessBuilder("bash", "-c", "source \"$0\" && " + command, lib.toString())
                .redirectErrorStream(true).start();
        String out = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!shell.waitFor(30, TimeUnit.SECONDS)) {
            shell.destroyForcibly();
            throw new AssertionError("bash did not end: " + command);
        }
        assertEquals(0, shell.exitValue(), out);
        return out.trim();
    }
}
