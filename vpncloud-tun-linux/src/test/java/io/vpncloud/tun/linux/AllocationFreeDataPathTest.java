package io.vpncloud.tun.linux;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.ThreadMXBean;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Counts the bytes the calling thread allocates while it moves packets. The JVM itself allocates a little now
 * and then (compilation, deoptimisation), so the bound is one byte per packet; a single object per packet would
 * be at least 16.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AllocationFreeDataPathTest {

    private static final int WARM_UP = 2_000;
    private static final int MEASURED = 20_000;

    private final ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private LinuxTunDevice device;

    @BeforeEach
    void openDevice() throws TunDeviceException {
        RealTun.assumeAvailable();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "the JVM cannot count allocated bytes");
        device = LinuxTunDevice.open(new TunDeviceConfig("vjalloc%d",
                Optional.of(IpRange.parse("10.200.206.1/24")), 1400, false));
    }

    @AfterEach
    void closeDevice() {
        if (device != null) {
            device.close();
        }
    }

    @Test
    void writingFromADirectBufferAllocatesNothing() throws IOException {
        ByteBuffer packet = ByteBuffer.allocateDirect(100).put(forwardedPacket()).flip();

        assertLessThanOneBytePerPacket(allocatedWhileWriting(packet));
    }

    @Test
    void writingFromAHeapBufferAllocatesNothing() throws IOException {
        ByteBuffer packet = ByteBuffer.wrap(forwardedPacket());

        assertLessThanOneBytePerPacket(allocatedWhileWriting(packet));
    }

    @Test
    void readingIntoADirectBufferAllocatesNothing() throws Exception {
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

    /** A packet the kernel drops quietly: not for this host, and this host does not forward. */
    private static byte[] forwardedPacket() {
        return UdpPackets.build(new byte[] {10, (byte) 200, (byte) 206, 2}, 1000,
                new byte[] {10, (byte) 200, (byte) 206, 3}, 2000, new byte[50]);
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
