package io.vpncloud.tun.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.TunDeviceConfig;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Real TUN devices: needs root and /dev/net/tun, skipped otherwise. Uses only 10.200.0.0/16. */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LinuxTunDeviceTest {

    private static final String PATTERN = "vjtest%d";

    /** How a test hands packets to the device. */
    enum BufferKind {
        DIRECT, HEAP, READ_ONLY_HEAP;

        ByteBuffer wrap(byte[] packet) {
            return switch (this) {
                case DIRECT -> ByteBuffer.allocateDirect(packet.length + 7).position(7).slice().put(packet).flip();
                case HEAP -> ByteBuffer.wrap(packet);
                case READ_ONLY_HEAP -> ByteBuffer.wrap(packet).asReadOnlyBuffer();
            };
        }

        ByteBuffer allocate(int capacity) {
            return this == DIRECT ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
        }
    }

    private final List<LinuxTunDevice> opened = new ArrayList<>();

    @BeforeEach
    void requireRealTun() {
        RealTun.assumeAvailable();
    }

    @AfterEach
    void closeDevices() {
        opened.forEach(LinuxTunDevice::close);
        for (LinuxTunDevice device : opened) {
            assertFalse(RealTun.interfaceExists(device.name()), device.name() + " still exists after close");
        }
    }

    @Test
    void patternGetsANumberFromTheKernel() throws IOException {
        LinuxTunDevice first = open(new TunDeviceConfig(PATTERN, Optional.empty(), 1400, false));
        LinuxTunDevice second = open(new TunDeviceConfig(PATTERN, Optional.empty(), 1400, false));

        assertTrue(Pattern.matches("vjtest\\d+", first.name()), first.name());
        assertTrue(Pattern.matches("vjtest\\d+", second.name()), second.name());
        assertFalse(first.name().equals(second.name()));
        assertTrue(RealTun.interfaceExists(first.name()));
        assertEquals(Optional.empty(), first.address());
    }

    @Test
    void addressNetmaskMtuAndUpFlagReachTheKernel() throws Exception {
        IpRange address = IpRange.parse("10.200.201.1/24");
        LinuxTunDevice device = open(new TunDeviceConfig(PATTERN, Optional.of(address), 1300, false));

        String json = RealTun.run("ip", "-j", "addr", "show", "dev", device.name());
        assertTrue(json.contains("\"local\":\"10.200.201.1\",\"prefixlen\":24"), json);
        assertTrue(json.contains("\"mtu\":1300"), json);
        assertTrue(Pattern.compile("\"flags\":\\[[^]]*\"UP\"").matcher(json).find(), json);
        assertEquals("1300", RealTun.sysfs(device.name(), "mtu"));
        assertEquals(1300, device.mtu());
        assertEquals(Optional.of(address), device.address());
    }

    @Test
    void addressSetOutsideIsSeenForAutoClaim() throws Exception {
        LinuxTunDevice device = open(new TunDeviceConfig(PATTERN, Optional.empty(), 1400, false));
        RealTun.run("ip", "addr", "add", "10.200.202.7/28", "dev", device.name());

        assertEquals(Optional.of(IpRange.parse("10.200.202.7/28")), device.address());
    }

    @Test
    void defaultMtuIsTheDefaultRouteDeviceMtuMinus73() throws Exception {
        LinuxTunDevice device = open(new TunDeviceConfig(PATTERN, Optional.empty(), 0, false));

        String route = RealTun.run("ip", "-4", "-o", "route", "show", "default");
        Matcher dev = Pattern.compile("\\bdev (\\S+)").matcher(route);
        int expected = dev.find() ? Integer.parseInt(RealTun.sysfs(dev.group(1), "mtu")) - 73 : 1427;
        assertEquals(expected, device.mtu());
        assertEquals(String.valueOf(expected), RealTun.sysfs(device.name(), "mtu"));
    }

    @ParameterizedTest
    @EnumSource(value = BufferKind.class, names = {"DIRECT", "HEAP"})
    void readReturnsWhatTheKernelRoutesIntoTheDevice(BufferKind kind) throws Exception {
        LinuxTunDevice device = open(new TunDeviceConfig(PATTERN,
                Optional.of(IpRange.parse("10.200.203.1/24")), 1400, false));
        byte[] payload = ("to the tunnel " + kind).getBytes(StandardCharsets.US_ASCII);
        InetSocketAddress peer = new InetSocketAddress("10.200.203.2", 9999);
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.send(ByteBuffer.wrap(payload), peer);
        }

        ByteBuffer buffer = kind.allocate(2000);
        UdpPackets.Udp udp = readUdpTo(device, buffer, 9999);
        assertArrayEquals(peer.getAddress().getAddress(), udp.destination());
        assertArrayEquals(new byte[] {10, (byte) 200, (byte) 203, 1}, udp.source());
        assertArrayEquals(payload, udp.payload());
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void writtenPacketIsDeliveredToALocalSocket(BufferKind kind) throws Exception {
        InetAddress local = InetAddress.getByName("10.200.204.1");
        byte[] remote = {10, (byte) 200, (byte) 204, 2};
        String allBefore = rpFilter("all");
        LinuxTunDevice device = open(new TunDeviceConfig(PATTERN,
                Optional.of(IpRange.parse("10.200.204.1/24")), 1400, true));
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.bind(new InetSocketAddress(local, 0));
            int port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
            byte[] payload = ("from the tunnel " + kind).getBytes(StandardCharsets.US_ASCII);
            ByteBuffer packet = kind.wrap(UdpPackets.build(remote, 4444, local.getAddress(), port, payload));

            device.write(packet);

            assertFalse(packet.hasRemaining());
            channel.socket().setSoTimeout(5000);
            DatagramPacket received = new DatagramPacket(new byte[2000], 2000);
            channel.socket().receive(received);
            assertArrayEquals(payload, Arrays.copyOf(received.getData(), received.getLength()));
            assertEquals(new InetSocketAddress(InetAddress.getByAddress(remote), 4444), received.getSocketAddress());
        } finally {
            assertEquals("1", rpFilter(device.name()));
            restoreRpFilter(allBefore);
        }
    }

    @Test
    void closeWakesABlockedReader() throws Exception {
        LinuxTunDevice device = open(new TunDeviceConfig(PATTERN, Optional.empty(), 1400, false));
        CountDownLatch reading = new CountDownLatch(1);
        Thread[] reader = new Thread[1];
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
            reader[0] = Thread.currentThread();
            reading.countDown();
            try {
                return device.read(ByteBuffer.allocateDirect(2000));
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        });
        assertTrue(reading.await(5, TimeUnit.SECONDS));
        awaitBlockedInPoll(reader[0]);

        device.close();

        ExecutionException failure = assertThrows(ExecutionException.class, () -> read.get(5, TimeUnit.SECONDS));
        assertTrue(failure.getCause() instanceof ClosedChannelException, failure.toString());
        assertFalse(RealTun.interfaceExists(device.name()));
        assertThrows(ClosedChannelException.class, () -> device.read(ByteBuffer.allocate(2000)));
        assertThrows(ClosedChannelException.class, () -> device.write(ByteBuffer.wrap(new byte[20])));
    }

    @Test
    void secondDeviceWithTheSameNameIsRefusedAsInUse() throws IOException {
        String name = RealTun.uniqueName("vjt");
        open(new TunDeviceConfig(name, Optional.empty(), 1400, false));

        TunDeviceException error = assertThrows(TunDeviceException.class,
                () -> open(new TunDeviceConfig(name, Optional.empty(), 1400, false)));

        assertEquals(TunDeviceException.Reason.NAME_IN_USE, error.reason());
        assertTrue(error.getMessage().contains("device name " + name + " is in use"), error.getMessage());
    }

    @Test
    void nameOfAnInterfaceThatIsNoTunDeviceIsInUse() {
        TunDeviceException error = assertThrows(TunDeviceException.class,
                () -> open(new TunDeviceConfig("lo", Optional.empty(), 1400, false)));

        assertEquals(TunDeviceException.Reason.NAME_IN_USE, error.reason());
        assertTrue(error.getMessage().contains("device name lo is in use"), error.getMessage());
        assertTrue(RealTun.interfaceExists("lo"));
    }

    @Test
    void nameLongerThanTheKernelAllowsIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new TunDeviceConfig("vjtest0123456789", Optional.empty(), 0, false));
        // 15 characters, but 16 bytes in UTF-8: only the byte count matters to the kernel.
        TunDeviceException error = assertThrows(TunDeviceException.class,
                () -> open(new TunDeviceConfig("vjtestäöü01234", Optional.empty(), 0, false)));

        assertEquals(TunDeviceException.Reason.INVALID_NAME, error.reason());
        assertTrue(error.getMessage().contains("1 to 15 bytes"), error.getMessage());
    }

    @Test
    void readIntoLessThanTheMtuIsRefusedBecauseTheKernelWouldCutThePacket() throws IOException {
        LinuxTunDevice device = open(new TunDeviceConfig(PATTERN, Optional.empty(), 1400, false));

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> device.read(ByteBuffer.allocateDirect(1399)));
        assertTrue(error.getMessage().contains("1400"), error.getMessage());
    }

    @Test
    void writeToADownDeviceSaysItIsDown() throws IOException {
        LinuxTunDevice device = open(new TunDeviceConfig(PATTERN, Optional.empty(), 1400, false));
        byte[] packet = UdpPackets.build(new byte[] {10, (byte) 200, (byte) 205, 2}, 1,
                new byte[] {10, (byte) 200, (byte) 205, 1}, 2, new byte[10]);

        TunDeviceException error = assertThrows(TunDeviceException.class, () -> device.write(ByteBuffer.wrap(packet)));
        assertTrue(error.getMessage().contains(device.name() + " is down"), error.getMessage());
    }

    @Test
    void ipv6AddressIsRefusedBeforeAnythingIsCreated() {
        assertThrows(IllegalArgumentException.class, () -> open(new TunDeviceConfig(PATTERN,
                Optional.of(IpRange.parse("fd00::1/64")), 0, false)));
    }

    private LinuxTunDevice open(TunDeviceConfig config) throws TunDeviceException {
        LinuxTunDevice device = LinuxTunDevice.open(config);
        opened.add(device);
        return device;
    }

    /** Reads packets until the UDP datagram to {@code port} (the kernel may also send IPv6 control packets). */
    private static UdpPackets.Udp readUdpTo(LinuxTunDevice device, ByteBuffer buffer, int port) throws IOException {
        for (int i = 0; i < 100; i++) {
            int start = 3; // the packet lands at the buffer's position, not at its start
            buffer.clear().position(start);
            int length = device.read(buffer);
            assertEquals(start + length, buffer.position());
            byte[] packet = new byte[length];
            buffer.flip().position(start);
            buffer.get(packet);
            UdpPackets.Udp udp = UdpPackets.parse(packet);
            if (udp != null && udp.destinationPort() == port) {
                return udp;
            }
        }
        throw new AssertionError("no UDP packet to port " + port + " in 100 packets");
    }

    /** Waits (by observation, no fixed sleep) until {@code thread} is inside the native poll call. */
    private static void awaitBlockedInPoll(Thread thread) {
        while (true) {
            StackTraceElement[] stack = thread.getStackTrace();
            if (stack.length > 0 && stack[0].getMethodName().equals("poll")
                    && stack[0].getClassName().equals(LibC.class.getName())) {
                return;
            }
            assertNotNull(stack);
            Thread.onSpinWait();
        }
    }

    private static String rpFilter(String name) throws IOException {
        return String.valueOf(RpFilter.system().value(name));
    }

    private static void restoreRpFilter(String allBefore) throws IOException {
        if (!rpFilter("all").equals(allBefore)) {
            Files.writeString(Path.of("/proc/sys/net/ipv4/conf/all/rp_filter"), allBefore);
        }
    }
}
