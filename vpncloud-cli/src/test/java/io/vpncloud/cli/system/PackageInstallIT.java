package io.vpncloud.cli.system;

import io.vpncloud.cli.TestFiles;

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
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator package as an operator gets it: the {@code .deb} of the package phase, unpacked into a scratch root
 * with {@code dpkg-deb -x}, and its class-data sharing archive made as its postinst makes it. Two nodes started as
 * {@code vpncloud} from the package's {@code /usr/bin} (its own Java runtime, no JDK needed) reach each other over
 * their TUN devices, with the archive in use; the package holds the man page and the systemd units.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PackageInstallIT {
    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(60);
    private static final Duration PING_LIMIT = Duration.ofSeconds(40);

    @BeforeEach
    void requireRootAndTun() {
        SystemTestEnvironment.assumeUsable();
    }

    @Test
    void nodesFromTheUnpackedPackageReachEachOther() throws Exception {
        Path target = SystemTestEnvironment.vpncloudJar().getParent();
        Path deb = packageFile(target);
        Path root = SystemTestEnvironment.outputDirectory().resolve("package-root");
        TestFiles.deleteRecursively(root);
        Files.createDirectories(root);
        Commands.run(COMMAND_LIMIT, List.of("dpkg-deb", "-x", deb.toString(), root.toString())).requireSuccess();

        Path unit = root.resolve("lib/systemd/system/vpncloud@.service");
        String unitText = Files.readString(unit, StandardCharsets.UTF_8);
        for (String line : List.of("--config /etc/vpncloud/%i.net", "AmbientCapabilities=CAP_NET_ADMIN",
                "MemoryMax=", "PartOf=vpncloud.target")) {
            assertTrue(unitText.contains(line), () -> unit + " holds " + line + ":\n" + unitText);
        }
        assertTrue(Files.isRegularFile(root.resolve("lib/systemd/system/vpncloud.target")), "vpncloud.target");
        assertTrue(Files.size(root.resolve("usr/share/man/man1/vpncloud.1.gz")) > 0, "the man page");
        Path java = root.resolve("usr/lib/vpncloud/runtime/bin/java").toRealPath();
        assertEquals(java.getParent().getParent().getParent().resolve("bin/vpncloud"),
                root.resolve("usr/bin/vpncloud").toRealPath(), "/usr/bin/vpncloud is the package's launcher");

        // What the postinst does; the nodes below start with -Xshare:on, which refuses to run without the archive.
        Commands.run(COMMAND_LIMIT, List.of(root.resolve("usr/lib/vpncloud/lib/make-cds-archive").toString()))
                .requireSuccess();

        try (TutorialHosts hosts = TutorialHosts.create("package-install", List.of("pkg-a", "pkg-b"),
                root.resolve("usr/bin"))) {
            hosts.start("pkg-a", "node", "VPNCLOUD_JAVA_OPTS=-Xshare:on vpncloud --password pkg --ip 10.0.0.1");
            hosts.start("pkg-b", "node", "VPNCLOUD_JAVA_OPTS=-Xshare:on vpncloud --password pkg --ip 10.0.0.2 "
                    + "-c pkg-a");
            CommandResult[] ping = new CommandResult[1];
            Duration reached = Polling.await("a ping from pkg-b to 10.0.0.1 through the VPN", PING_LIMIT, () -> {
                ping[0] = hosts.run("pkg-b", "ping -c 1 -W 1 10.0.0.1");
                return ping[0].succeeded();
            }, () -> ping[0].describe() + "\n" + hosts.diagnostics());
            System.out.println("nodes from the package reached each other after " + reached.toMillis() + " ms");

            CommandResult exe = hosts.run("pkg-a", "readlink -f /proc/$(pgrep -x vpncloud)/exe").requireSuccess();
            assertEquals(java.toString(), exe.firstLine(), "the node runs on the package's own runtime");
        }
    }

    private static Path packageFile(Path target) throws IOException {
        try (Stream<Path> files = Files.list(target)) {
            List<Path> debs = files.filter(file -> file.getFileName().toString().matches("vpncloud-java_.*\\.deb"))
                    .toList();
            if (debs.size() != 1) {
                throw new AssertionError("expected one vpncloud-java_*.deb in " + target + ", found " + debs
                        + "; the package phase builds it on Linux (src/package/build-deb.sh)");
            }
            return debs.get(0);
        }
    }
}
