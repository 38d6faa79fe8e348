package io.vpncloud.tun.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vpncloud.api.DeviceType;
import io.vpncloud.api.TunDeviceConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A real TCP transfer through two offload TUN devices (or two TAP devices, then carrying Ethernet frames and the
 * ARP that comes with them), each moved into a network namespace of its own, joined by a thread per direction that
 * moves packets the way a node does (read until nothing is pending, write, flush). Needs root and /dev/net/tun,
 * skipped without them; fails without socat. Over IPv4 and IPv6; uses only 10.200.210.0/24 and fd00:200:210::/64.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OffloadTransferTest {

    private static final int BYTES = 32 << 20;
    private static final int PORT = 5201;
    private static final Map<Integer, List<String>> ADDRESSES = Map.of(
            4, List.of("10.200.210.1", "10.200.210.2", "24"), 6, List.of("fd00:200:210::1", "fd00:200:210::2", "64"));

    private final String namespaceA = RealTun.uniqueName("vjoff-a-");
    private final String namespaceB = RealTun.uniqueName("vjoff-b-");
    private final List<LinuxTunDevice> devices = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void requireRealTunAndSocat() {
        RealTun.assumeAvailable();
        // Where the test can run, a missing tool is a failure, not a reason to skip: .ci/run installs it.
        assertTrue(Stream.of(System.getenv("PATH").split(":"))
                .anyMatch(directory -> Files.isExecutable(Path.of(directory, "socat"))),
                "socat is not installed (package socat; .ci/run installs it)");
    }

    @AfterEach
    void cleanUp() throws Exception {
        processes.forEach(Process::destroyForcibly);
        for (Process process : processes) {
            process.waitFor(5, TimeUnit.SECONDS);
        }
        devices.forEach(LinuxTunDevice::close);
        for (String namespace : List.of(namespaceA, namespaceB)) {
            if (RealTun.run("ip", "netns", "list").contains(namespace)) {
                RealTun.run("ip", "netns", "del", namespace);
            }
        }
    }

    @ParameterizedTest(name = "{0} over IPv{1}")
    @CsvSource({"TUN, 4", "TAP, 4", "TUN, 6", "TAP, 6"})
    void thirtyTwoMegabytesArriveIntactInSuperPackets(DeviceType type, int ipVersion) throws Exception {
        List<String> addresses = ADDRESSES.get(ipVersion);
        String prefix = "/" + addresses.get(2);
        LinuxTunDevice a = deviceIn(namespaceA, addresses.get(0) + prefix, type);
        LinuxTunDevice b = deviceIn(namespaceB, addresses.get(1) + prefix, type);
        assertTrue(a.offload() && b.offload(), "the kernel refused TCP offloads");
        CompletableFuture<Void> aToB = CompletableFuture.runAsync(() -> pump(a, b));
        CompletableFuture<Void> bToA = CompletableFuture.runAsync(() -> pump(b, a));

        Process receiver = start(namespaceB, "socat", "-d", "-d", "-u",
                (ipVersion == 4 ? "TCP4-LISTEN:" : "TCP6-LISTEN:") + PORT + ",bind=" + socatHost(addresses.get(1)),
                "STDOUT");
        CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> sha256(receiver.getInputStream()));
        awaitListening(receiver);
        Process sender = start(namespaceA, "socat", "-u", "STDIN", "TCP:" + socatHost(addresses.get(1)) + ":" + PORT);
        byte[] sent = sendRandomBytes(sender.getOutputStream());

        assertArrayEquals(sent, received.get(20, TimeUnit.SECONDS));
        assertEquals(0, sender.waitFor() + receiver.waitFor());
        OffloadCounters read = a.offloadCounters();
        OffloadCounters written = b.offloadCounters();
        assertTrue(read.superPacketSegments() > read.superPackets() && read.superPackets() > 0,
                read.superPackets() + " super-packets, " + read.superPacketSegments() + " segments");
        assertTrue(written.mergedSegments() > written.mergedWrites() && written.mergedWrites() > 0,
                written.mergedWrites() + " merged writes, " + written.mergedSegments() + " segments");
        assertEquals(0, read.droppedReads() + written.droppedReads());
        a.close();
        b.close();
        aToB.get(5, TimeUnit.SECONDS);
        bToA.get(5, TimeUnit.SECONDS);
    }

    /** An address as socat takes it: IPv6 in brackets. */
    private static String socatHost(String address) {
        return address.contains(":") ? "[" + address + "]" : address;
    }

    /** An offload device moved into a new namespace, with the address and prefix there (IPv6 without DAD). */
    private LinuxTunDevice deviceIn(String namespace, String address, DeviceType type)
            throws IOException, InterruptedException {
        RealTun.run("ip", "netns", "add", namespace);
        LinuxTunDevice device = LinuxTunDevice.open(new TunDeviceConfig(RealTun.uniqueName("vjoff"),
                Optional.empty(), 1400, false, true).withType(type));
        devices.add(device);
        RealTun.run("ip", "link", "set", "dev", device.name(), "netns", namespace);
        RealTun.run("ip", "-n", namespace, "addr", "add", address, "dev", device.name(), "nodad");
        RealTun.run("ip", "-n", namespace, "link", "set", "dev", device.name(), "up");
        return device;
    }

    /** Moves packets as a node does, until {@code from} is closed. */
    private static void pump(LinuxTunDevice from, LinuxTunDevice to) {
        ByteBuffer packet = ByteBuffer.allocateDirect(2000);
        try {
            while (true) {
                do {
                    from.read(packet.clear());
                    to.write(packet.flip());
                } while (from.hasPending());
                to.flush();
            }
        } catch (ClosedChannelException e) {
            // closed: the end
        } catch (IOException e) {
            throw new CompletionException(e);
        }
    }

    private Process start(String namespace, String... command) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        Process process = new ProcessBuilder(full).start();
        processes.add(process);
        return process;
    }

    /** Waits for socat's "listening on" line (it logs it with -d -d before accepting). */
    private static void awaitListening(Process receiver) throws IOException {
        BufferedReader log = new BufferedReader(new InputStreamReader(receiver.getErrorStream(),
                StandardCharsets.UTF_8));
        String line;
        while ((line = log.readLine()) != null) {
            if (line.contains("listening on")) {
                CompletableFuture.runAsync(() -> drain(log));
                return;
            }
        }
        throw new AssertionError("socat ended without listening");
    }

    private static void drain(BufferedReader log) {
        try {
            while (log.readLine() != null) {
                // socat's connection log is not needed
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    private static byte[] sendRandomBytes(OutputStream out) throws IOException {
        MessageDigest digest = sha256();
        Random random = new Random(BYTES);
        byte[] chunk = new byte[1 << 16];
        try (out) {
            for (int sent = 0; sent < BYTES; sent += chunk.length) {
                random.nextBytes(chunk);
                digest.update(chunk);
                out.write(chunk);
            }
        }
        return digest.digest();
    }

    private static byte[] sha256(InputStream in) {
        MessageDigest digest = sha256();
        byte[] chunk = new byte[1 << 16];
        try (in) {
            int read;
            while ((read = in.read(chunk)) >= 0) {
                digest.update(chunk, 0, read);
            }
        } catch (IOException e) {
            throw new CompletionException(e);
        }
        return digest.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
