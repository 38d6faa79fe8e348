package io.vpncloud.tun.linux;

import static io.vpncloud.tun.linux.LoopbackUdp.IPV4_ANY_PORT;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.ThreadMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Counts the bytes the calling thread allocates while it sends or receives. The JVM itself allocates a little
 * now and then, so the bound is one byte per call; a single object per call would be at least 16.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UdpSocketAllocationTest {

    private static final int WARM_UP = 2_000;
    private static final int MEASURED = 20_000;

    private final ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private LinuxUdpSocket sender;
    private LinuxUdpSocket receiver;

    @BeforeEach
    void openSockets() throws IOException {
        LoopbackUdp.assumeAvailable();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "the JVM cannot count allocated bytes");
        sender = LoopbackUdp.bind(IPV4_ANY_PORT);
        receiver = LoopbackUdp.bind(IPV4_ANY_PORT);
    }

    @AfterEach
    void closeSockets() {
        if (sender != null) {
            sender.close();
            receiver.close();
        }
    }

    @ParameterizedTest(name = "direct buffer: {0}")
    @ValueSource(booleans = {false, true})
    void sendingAllocatesNothing(boolean direct) throws IOException {
        ByteBuffer datagram = LoopbackUdp.allocate(direct, 1400).put(LoopbackUdp.pattern(1, 1400)).flip();
        InetSocketAddress target = receiver.localAddress();

        assertLessThanOneBytePerCall(allocatedWhile(() -> sender.send(datagram.rewind(), target)));
    }

    @ParameterizedTest(name = "direct buffer: {0}")
    @ValueSource(booleans = {false, true})
    void sendingSegmentsAllocatesNothing(boolean direct) throws IOException {
        ByteBuffer segments = LoopbackUdp.allocate(direct, 8 * 1400).put(LoopbackUdp.pattern(2, 8 * 1400)).flip();
        InetSocketAddress target = receiver.localAddress();

        assertLessThanOneBytePerCall(allocatedWhile(() -> sender.sendSegments(segments.rewind(), 1400, target)));
    }

    @ParameterizedTest(name = "direct buffer: {0}")
    @ValueSource(booleans = {false, true})
    void receivingAllocatesNothing(boolean direct) throws Exception {
        ByteBuffer buffer = LoopbackUdp.allocate(direct, 65536);
        CompletableFuture<Void> flood = CompletableFuture.runAsync(this::sendUntilClosed);

        long allocated = allocatedWhile(() -> receiver.receive(buffer.clear(), true));
        sender.close();
        flood.get(10, TimeUnit.SECONDS);

        assertLessThanOneBytePerCall(allocated);
    }

    /** The receiving thread may ask for send errors after every datagram. */
    @Test
    void askingForSendErrorsAllocatesNothing() throws IOException {
        assertLessThanOneBytePerCall(allocatedWhile(() -> assertNull(receiver.nextSendError())));
    }

    /** An operation on a socket. */
    private interface SocketCall {
        void run() throws IOException;
    }

    private long allocatedWhile(SocketCall call) throws IOException {
        for (int i = 0; i < WARM_UP; i++) {
            call.run();
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < MEASURED; i++) {
            call.run();
        }
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    private static void assertLessThanOneBytePerCall(long allocated) {
        assertTrue(allocated < MEASURED, allocated + " bytes allocated for " + MEASURED + " calls");
    }

    /** Sends small datagrams from one address until the sending socket is closed. */
    private void sendUntilClosed() {
        ByteBuffer datagram = ByteBuffer.allocate(64);
        try {
            InetSocketAddress target = receiver.localAddress();
            while (true) {
                sender.send(datagram.clear(), target);
            }
        } catch (IOException e) {
            // Closing the sender ends the flood.
        }
    }
}
