package io.vpncloud.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JVM that calls {@link ProcessName#set} is found by name with {@code pgrep -x} and shown with that name by
 * {@code ps}. It runs as a child process, so that the test JVM keeps its own name.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class ProcessNameTest {

    /** The child: renames itself, says so, and runs until its standard input ends. */
    static final class Child {
        public static void main(String[] args) throws IOException {
            System.out.println(ProcessName.set(args[0]) ? "renamed" : "not renamed");
            System.out.flush();
            System.in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }

    @Test
    void pgrepAndPsFindTheProcessByItsNewName() throws Exception {
        // A name no other process on the machine has, of the same length limit as "vpncloud" (15 bytes).
        String name = "vcpn" + Long.toString(ProcessHandle.current().pid() % 1_000_000, 36);
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Child.class.getName(), name)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.US_ASCII))) {
            assertEquals("renamed", out.readLine());
            String pid = Long.toString(child.pid());
            assertEquals(List.of(pid), run("pgrep", "-x", name), "pgrep -x " + name);
            assertEquals(List.of(name), run("ps", "-o", "comm=", "-p", pid), "ps -o comm= -p " + pid);
        } finally {
            child.getOutputStream().close();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child ends with its standard input");
        }
    }

    /** Runs a tool (procps, which CI installs) and returns its output lines. */
    private static List<String> run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }
}
