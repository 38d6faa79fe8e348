package io.vpncloud.cli;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.TunDeviceProvider;
import io.vpncloud.core.MemoryTunDevice;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The training run of the build: does what a starting node does, so that the JVM lists the classes it loads
 * ({@code -XX:DumpLoadedClassList}) and the build can put them into a class-data sharing archive, from which the
 * {@code vpncloud} command then starts faster and with less memory.
 * <p>
 * It needs no root: the command line is parsed, and two nodes configured as the command configures them exchange
 * handshakes, node info and a packet over loopback UDP, on in-memory devices instead of TUN devices; the Linux
 * TUN provider is loaded but not asked for a device. Every wait is bounded, and nothing here fails the build:
 * a shorter run only makes a smaller archive.
 * <pre>
 * java -XX:DumpLoadedClassList=target/vpncloud.classlist -cp target/vpncloud.jar io.vpncloud.cli.CdsTraining
 * </pre>
 */
public final class CdsTraining {
    private static final String PASSWORD = "class-data-sharing-training";
    private static final Duration PACKET_LIMIT = Duration.ofSeconds(10);

    private CdsTraining() {
    }

    public static void main(String[] args) throws Exception {
        Logging.configure(CliConfig.LogLevel.QUIET, Optional.empty());
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        VpncloudCommand.execute(List.of("--help"), Map.of(), discard, discard);
        VpncloudCommand.execute(List.of("--version"), Map.of(), discard, discard);
        VpncloudCommand.execute(List.of("--no-such-option"), Map.of(), discard, discard);
        ServiceLoader.load(TunDeviceProvider.class).stream().forEach(ServiceLoader.Provider::type);
        Class.forName("com.sun.jna.Native"); // loads the native part of JNA, as opening a TUN device does
        loadClassesOf(List.of("io/vpncloud/", "com/sun/jna/"));
        if (!exchangeAPacket()) {
            System.err.println("CdsTraining: no packet arrived within " + PACKET_LIMIT.toSeconds() + " s; the archive "
                    + "will lack the classes of the data path");
        }
        System.exit(0); // without waiting for threads the closed nodes may still be ending
    }

    /**
     * Loads (without initialising) every class of the jar under the given directories: the Linux TUN device's
     * classes, which the run cannot use without root, and whatever else a node may need. A class that cannot be
     * loaded here (one for a module the runtime lacks) is left out of the archive, and loaded from the jar if
     * ever needed.
     */
    private static void loadClassesOf(List<String> directories) throws IOException, URISyntaxException {
        Path jar = Path.of(CdsTraining.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!Files.isRegularFile(jar)) {
            return; // classes from a directory (a test run): nothing to archive
        }
        ClassLoader loader = CdsTraining.class.getClassLoader();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry entry : Collections.list(file.entries())) {
                String name = entry.getName();
                if (name.endsWith(".class") && !name.contains("-") && directories.stream().anyMatch(name::startsWith)) {
                    try {
                        Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false, loader);
                    } catch (ClassNotFoundException | LinkageError e) {
                        // not loadable in this runtime: not archived
                    }
                }
            }
        }
    }

    /** Two nodes on loopback, configured through the command line; a packet from one device to the other. */
    private static boolean exchangeAPacket() throws Exception {
        MemoryTunDevice deviceA = new MemoryTunDevice("train-a", IpRange.parse("10.0.0.1/24"));
        MemoryTunDevice deviceB = new MemoryTunDevice("train-b", IpRange.parse("10.0.0.2/24"));
        try (NodeRunner a = runner(deviceA, List.of("--ip", "10.0.0.1", "-l", "127.0.0.1:0"))) {
            a.start();
            int port = a.node().listenAddress().getPort();
            try (NodeRunner b = runner(deviceB, List.of("--ip", "10.0.0.2", "-l", "127.0.0.1:0",
                    "-c", "127.0.0.1:" + port))) {
                b.start();
                byte[] packet = ipv4Packet(new byte[] {10, 0, 0, 1}, new byte[] {10, 0, 0, 2});
                long deadline = System.nanoTime() + PACKET_LIMIT.toNanos();
                while (System.nanoTime() < deadline) {
                    deviceA.inject(packet); // dropped until the nodes know each other, so repeated
                    if (deviceB.receive(Duration.ofMillis(100)).isPresent()) {
                        return true;
                    }
                }
                return false;
            }
        }
    }

    private static NodeRunner runner(MemoryTunDevice device, List<String> options) throws UsageException {
        List<String> args = new ArrayList<>(List.of("--password", PASSWORD, "--algorithm", "aes128",
                "--keepalive", "1", "--peer-timeout", "5"));
        args.addAll(options);
        CliConfig config = ((CommandLineOptions.Run) CommandLineOptions.parse(args, Map.of())).config();
        return new NodeRunner(config, Optional.of(device), StatsFileWriter.DEFAULT_INTERVAL);
    }

    /** An IPv4 header with 8 bytes of UDP payload, enough for the node to route it by its destination. */
    private static byte[] ipv4Packet(byte[] source, byte[] destination) {
        byte[] packet = new byte[28];
        packet[0] = 0x45;
        packet[3] = (byte) packet.length;
        packet[8] = 64; // time to live
        packet[9] = 17; // UDP
        System.arraycopy(source, 0, packet, 12, 4);
        System.arraycopy(destination, 0, packet, 16, 4);
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += ((packet[i] & 0xff) << 8) | (packet[i + 1] & 0xff);
        }
        int checksum = ~((sum & 0xffff) + (sum >>> 16)) & 0xffff;
        packet[10] = (byte) (checksum >>> 8);
        packet[11] = (byte) checksum;
        packet[21] = 9; // UDP ports 9 (discard), length 8
        packet[23] = 9;
        packet[25] = 8;
        return packet;
    }
}
