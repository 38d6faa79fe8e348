package io.vpncloud.tun.linux;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.ThreadMXBean;
import io.vpncloud.api.DeviceType;
import io.vpncloud.api.IpRange;
import io.vpncloud.api.TunDeviceConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Counts the bytes the calling thread allocates while it moves packets through a TUN or TAP device with offloads.
 * The JVM itself allocates a little now and then (compilation, deoptimisation), so the bound is one byte per
 * packet; a single object per packet would be at least 16.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AllocationFreeDataPathTest {

    private static final int WARM_UP = 2_000;
    private static final int MEASURED = 20_000;

    /** Where a TAP device sends the datagrams: a neighbour entry so the kernel need not ask by ARP. */
    private static final String NEIGHBOUR_MAC = "02:00:5e:00:02:06";

    private final ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private LinuxTunDevice device;

    @BeforeEach
    void requireRealTun() {
        RealTun.assumeAvailable();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "the JVM cannot count allocated bytes");
    }

    private void open(DeviceType type) throws Exception {
        device = LinuxTunDevice.open(new TunDeviceConfig("vjalloc%d",
                Optional.of(IpRange.parse("10.200.206.1/24")), 1400, false).withType(type));
        if (type == DeviceType.TAP) {
            RealTun.run("ip", "neigh", "replace", "10.200.206.2", "lladdr", NEIGHBOUR_MAC, "dev", device.name());
        }
    }

    @AfterEach
    void closeDevice() {
        if (device != null) {
            device.close();
        }
    }

    @ParameterizedTest
    @EnumSource(DeviceType.class)
    void writingFromADirectBufferAllocatesNothing(DeviceType type) throws Exception {
        open(type);
        ByteBuffer packet = ByteBuffer.allocateDirect(200).put(forwardedPacket(type)).flip();

        assertLessThanOneBytePerPacket(allocatedWhileWriting(packet));
    }

    @ParameterizedTest
    @EnumSource(DeviceType.class)
    void writingFromAHeapBufferAllocatesNothing(DeviceType type) throws Exception {
        open(type);
        ByteBuffer packet = ByteBuffer.wrap(forwardedPacket(type));

        assertLessThanOneBytePerPacket(allocatedWhileWriting(packet));
    }

    @ParameterizedTest
    @EnumSource(DeviceType.class)
    void readingIntoADirectBufferAllocatesNothing(DeviceType type) throws Exception {
        open(type);
        ByteBuffer buffer = ByteBuffer.allocateDirect(1500);
        CompletableFuture<Void> sender = CompletableFuture.runAsync(this::sendUdpIntoTheDevice);
        for (int i = 0; i < WARM_UP; i++) {
            device.read(buffer.clear());
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < MEASURED; i++) {
            device.read(buffer.clear());
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        device.close();
        sender.get(10, TimeUnit.SECONDS);

        assertLessThanOneBytePerPacket(allocated);
    }

    private long allocatedWhileWriting(ByteBuffer packet) throws IOException {
        for (int i = 0; i < WARM_UP; i++) {
            device.write(packet.rewind());
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < MEASURED; i++) {
            device.write(packet.rewind());
        }
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    private static void assertLessThanOneBytePerPacket(long allocated) {
        assertTrue(allocated < MEASURED, allocated + " bytes allocated for " + MEASURED + " packets");
    }

    /**
     * A packet the kernel drops quietly: not for this host, and this host does not forward; for TAP in a frame
     * to another host's MAC address.
     */
    private static byte[] forwardedPacket(DeviceType type) {
        byte[] packet = UdpPackets.build(new byte[] {10, (byte) 200, (byte) 206, 2}, 1000,
                new byte[] {10, (byte) 200, (byte) 206, 3}, 2000, new byte[50]);
        if (type == DeviceType.TUN) {
            return packet;
        }
        return ByteBuffer.allocate(14 + packet.length).put(EthernetFrames.mac("02:00:5e:00:02:07"))
                .put(EthernetFrames.mac(NEIGHBOUR_MAC)).putShort((short) EthernetFrames.ETHERTYPE_IPV4).put(packet)
                .array();
    }

    /** Sends UDP datagrams routed into the device until it is closed and the reads stop. */
    private void sendUdpIntoTheDevice() {
        ByteBuffer payload = ByteBuffer.allocate(64);
        InetSocketAddress target = new InetSocketAddress("10.200.206.2", 9999);
        try (DatagramChannel channel = DatagramChannel.open()) {
            while (RealTun.interfaceExists(device.name())) {
                channel.send(payload.clear(), target);
            }
        } catch (IOException e) {
            // The route disappears with the device: the sender's end.
        }
    }
}
