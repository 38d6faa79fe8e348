package io.vpncloud.tun.linux;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/** What the tests with real TUN devices need: the skip condition and a look at the kernel's view. */
final class RealTun {

    private RealTun() {
    }

    /** Skips the calling test unless it runs as root on a machine with {@code /dev/net/tun}. */
    static void assumeAvailable() {
        assumeTrue(Files.exists(Path.of("/dev/net/tun")), "/dev/net/tun is missing (modprobe tun)");
        assumeTrue("root".equals(System.getProperty("user.name")), "creating TUN devices needs root");
    }

    /** An explicit interface name no other test or process uses. */
    static String uniqueName(String prefix) {
        return prefix + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24), 36);
    }

    static boolean interfaceExists(String name) {
        return Files.exists(Path.of("/sys/class/net", name));
    }

    static String sysfs(String name, String attribute) throws IOException {
        return Files.readString(Path.of("/sys/class/net", name, attribute)).trim();
    }

    /** Runs a command (test tooling only, never the product path) and returns its standard output. */
    static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }
}
