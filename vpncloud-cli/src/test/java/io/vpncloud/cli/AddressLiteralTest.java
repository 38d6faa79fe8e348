package io.vpncloud.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --ip 10.0.0.300} is not an address, and must not become a host name either: a lookup can take seconds
 * before it fails, or succeed. The command runs in its own JVM whose host names come from a hosts file that does
 * know "10.0.0.300"; a command that looked the value up would accept it and fail at the next option instead.
 */
class AddressLiteralTest {

    @Test
    void anInvalidIpv4AddressIsRejectedWithoutALookup(@TempDir Path dir) throws Exception {
        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n10.0.0.3 10.0.0.300\n");
        for (List<String> option : List.of(List.of("--ip", "10.0.0.300"), List.of("--claim", "10.0.0.300/32"),
                List.of("--listen", "10.0.0.300:3210"))) {
            List<String> args = new java.util.ArrayList<>(List.of("--password", "x"));
            args.addAll(option);
            args.add("--vcst-after-the-address");
            Result result = runCommand(hosts, dir, args.toArray(String[]::new));
            assertEquals(2, result.status(), result.stderr());
            assertTrue(result.stderr().startsWith("vpncloud: " + option.get(0) + ": "), result.stderr());
        }
    }

    private record Result(int status, String stderr) {}

    private static Result runCommand(Path hostsFile, Path dir, String... args) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Djdk.net.hosts.file=" + hostsFile,
                "-cp", System.getProperty("java.class.path"), VpncloudCommand.class.getName()));
        command.addAll(List.of(args));
        Path stderr = dir.resolve("stderr.txt");
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile())
                .redirectOutput(dir.resolve("stdout.txt").toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the command did not exit within 60 s");
        }
        return new Result(process.exitValue(), Files.readString(stderr, StandardCharsets.UTF_8));
    }
}
