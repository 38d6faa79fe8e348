package io.vpncloud.cli.system;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the system tests need from the machine: Linux, root (network namespaces, TUN devices), {@code /dev/net/tun},
 * the tools they call, and the {@code vpncloud.jar} built by the package phase. Without Linux, root or the TUN
 * device, {@link #assumeUsable()} skips the tests and says why; a missing tool fails them (.ci/run installs the
 * tools). CI runs them as root.
 */
final class SystemTestEnvironment {
    private static final Path TUN = Path.of("/dev/net/tun");
    private static final List<String> TOOLS = List.of("ip", "ping", "timeout", "bash", "socat");

    private SystemTestEnvironment() {
    }

    /**
     * Skips the calling test unless this machine can run system tests (Linux, root, /dev/net/tun), saying why in the
     * build log too; where it can, a missing tool fails the test: .ci/run installs them.
     */
    static void assumeUsable() {
        Optional<String> missing = missingPrerequisite();
        missing.ifPresent(reason -> System.out.println("system tests skipped: " + reason));
        assumeTrue(missing.isEmpty(), () -> "system tests skipped: " + missing.orElseThrow());
        missingTools().ifPresent(tools -> {
            throw new AssertionError(tools);
        });
    }

    /** Why this machine cannot run the system tests, if it cannot: not Linux, not root, no TUN device. */
    static Optional<String> missingPrerequisite() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return Optional.of("they need Linux (network namespaces, TUN devices), not "
                    + System.getProperty("os.name"));
        }
        Optional<Long> uid = effectiveUid();
        if (uid.isEmpty() || uid.get() != 0) {
            return Optional.of("they need root for network namespaces and TUN devices (running as uid "
                    + uid.map(String::valueOf).orElse("unknown") + ")");
        }
        if (!Files.exists(TUN)) {
            return Optional.of(TUN + " is missing (load the tun module, or give the container the device)");
        }
        return Optional.empty();
    }

    /** The tools the system tests call that are not installed, if any. */
    private static Optional<String> missingTools() {
        List<String> missingTools = new ArrayList<>();
        for (String tool : TOOLS) {
            if (!onPath(tool)) {
                missingTools.add(tool);
            }
        }
        if (!missingTools.isEmpty()) {
            return Optional.of("the tools " + missingTools + " are not on the PATH (packages iproute2, iputils-ping, "
                    + "coreutils, bash, socat; .ci/run installs them)");
        }
        return Optional.empty();
    }

    /** The runnable jar of the {@code vpncloud} command; fails the test when the package phase did not build it. */
    static Path vpncloudJar() {
        Path jar = Path.of(System.getProperty("vpncloud.jar", "target/vpncloud.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError(jar + " is missing; the system tests run in the verify phase, after the package "
                    + "phase built it: mvn -B -ntp verify");
        }
        return jar;
    }

    /** Where the scenarios put their logs. */
    static Path outputDirectory() {
        return Path.of(System.getProperty("vpncloud.systemtest.dir", "target/system-tests")).toAbsolutePath();
    }

    /** The effective uid, from {@code /proc/self/status} ("Uid: real effective saved filesystem"). */
    private static Optional<Long> effectiveUid() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("Uid:"))
                    .map(line -> Long.parseLong(line.substring(4).strip().split("\\s+")[1]))
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String directory : path.split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, tool))) {
                return true;
            }
        }
        return false;
    }
}
