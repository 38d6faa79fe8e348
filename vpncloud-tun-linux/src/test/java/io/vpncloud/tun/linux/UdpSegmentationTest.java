package io.vpncloud.tun.linux;

import static io.vpncloud.tun.linux.LoopbackUdp.IPV4_ANY_PORT;
import static io.vpncloud.tun.linux.LoopbackUdp.IPV6_ANY_PORT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Segmented sends ({@code UDP_SEGMENT}) and batched receives ({@code UDP_GRO}) over loopback: on the wire the
 * datagrams must be the separate ones the sender meant, whoever receives them.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UdpSegmentationTest {

    /** 44 full datagrams and a 276-byte last one: exactly the 65,000 bytes one call may send. */
    private static final int SEGMENT_SIZE = 1471;
    private static final int TOTAL_BYTES = 65_000;

    @BeforeEach
    void assumeLinux() {
        LoopbackUdp.assumeAvailable();
    }

    @ParameterizedTest(name = "direct buffer: {0}")
    @ValueSource(booleans = {false, true})
    void aPlainReceiverGetsSeparateDatagrams(boolean direct) throws IOException {
        List<byte[]> expected = datagrams(TOTAL_BYTES, SEGMENT_SIZE);
        try (LinuxUdpSocket sender = LoopbackUdp.bind(IPV4_ANY_PORT);
                DatagramChannel receiver = DatagramChannel.open().bind(IPV4_ANY_PORT)) {
            receiver.setOption(java.net.StandardSocketOptions.SO_RCVBUF, LoopbackUdp.BUFFER_BYTES);
            ByteBuffer src = concatenated(expected, direct);

            sender.sendSegments(src, SEGMENT_SIZE, (InetSocketAddress) receiver.getLocalAddress());

            assertEquals(src.limit(), src.position());
            List<byte[]> received = new ArrayList<>();
            ByteBuffer dst = ByteBuffer.allocate(2000);
            while (received.size() < expected.size()) {
                receiver.receive(dst.clear());
                received.add(LoopbackUdp.remainingBytes(dst.flip()));
            }
            assertDatagramsEqual(expected, received);
        }
    }

    @Test
    void theKernelSegmentsHere() throws IOException {
        assumeTrue(Runtime.Version.parse(System.getProperty("os.version").replaceAll("[^0-9.].*", ""))
                .feature() >= 5, "UDP_GRO needs Linux 5.0");
        try (LinuxUdpSocket socket = LoopbackUdp.bind(IPV4_ANY_PORT)) {
            socket.sendSegments(concatenated(datagrams(3000, 1000), false), 1000, socket.localAddress());

            assertEquals(DatagramSender.MAX_SEGMENTS, socket.maxSegments(), "UDP_SEGMENT should work on Linux >= 4.18");
            assertTrue(socket.hasReceiveOffload(), "UDP_GRO should work on Linux >= 5.0");
        }
    }

    @ParameterizedTest(name = "direct buffer: {0}")
    @ValueSource(booleans = {false, true})
    void aBatchingReceiverReproducesTheDatagrams(boolean direct) throws IOException {
        assertBatchesReproduceDatagrams(IPV4_ANY_PORT, direct, 65536);
    }

    @Test
    void aBatchingReceiverReproducesTheDatagramsOverIpv6() throws IOException {
        LoopbackUdp.assumeIpv6();
        assertBatchesReproduceDatagrams(IPV6_ANY_PORT, true, 65536);
    }

    @ParameterizedTest(name = "buffer of {0} bytes")
    @ValueSource(ints = {1500, 4000, 30000})
    void aSmallBufferGetsWholeDatagramsOverSeveralReceives(int bufferBytes) throws IOException {
        assertBatchesReproduceDatagrams(IPV4_ANY_PORT, false, bufferBytes);
    }

    @Test
    void aBatchHandedOutInPartsKeepsItsSender() throws IOException {
        try (LinuxUdpSocket sender = LoopbackUdp.bind(IPV4_ANY_PORT);
                LinuxUdpSocket receiver = LoopbackUdp.bind(IPV4_ANY_PORT)) {
            assumeTrue(receiver.hasReceiveOffload(), "no UDP_GRO here");
            sender.sendSegments(concatenated(datagrams(3000, 1000), false), 1000, receiver.localAddress());
            ByteBuffer dst = ByteBuffer.allocate(1000);

            InetSocketAddress first = receiver.receive(dst.clear(), true);
            InetSocketAddress second = receiver.receive(dst.clear(), true);
            InetSocketAddress third = receiver.receive(dst.clear(), true);

            assertEquals(sender.localAddress(), first);
            assertSame(first, second);
            assertSame(first, third);
            assertEquals(0, receiver.receivedSegmentSize());
            assertEquals(null, receiver.receive(dst.clear(), false));
        }
    }

    @Test
    void oneSegmentGoesAsAPlainDatagram() throws IOException {
        try (LinuxUdpSocket sender = LoopbackUdp.bind(IPV4_ANY_PORT);
                DatagramChannel receiver = DatagramChannel.open().bind(IPV4_ANY_PORT)) {
            byte[] payload = LoopbackUdp.pattern(3, 700);

            sender.sendSegments(ByteBuffer.wrap(payload), SEGMENT_SIZE, (InetSocketAddress) receiver.getLocalAddress());

            ByteBuffer dst = ByteBuffer.allocate(2000);
            receiver.receive(dst);
            assertArrayEquals(payload, LoopbackUdp.remainingBytes(dst.flip()));
        }
    }

    @Test
    void theContractLimitsAreEnforced() throws IOException {
        try (LinuxUdpSocket socket = LoopbackUdp.bind(IPV4_ANY_PORT)) {
            InetSocketAddress target = socket.localAddress();

            assertThrows(IllegalArgumentException.class,
                    () -> socket.sendSegments(ByteBuffer.allocate(100), 0, target));
            assertThrows(IllegalArgumentException.class,
                    () -> socket.sendSegments(ByteBuffer.allocate(65 * 100), 100, target));
            assertThrows(IllegalArgumentException.class,
                    () -> socket.sendSegments(ByteBuffer.allocate(TOTAL_BYTES + 1), 1500, target));
        }
    }

    /**
     * Sends the 45 datagrams in one call to a batching receiver and splits what arrives by
     * {@code receivedSegmentSize}; the kernel may deliver the datagrams in several batches.
     */
    private static void assertBatchesReproduceDatagrams(InetSocketAddress bindTo, boolean direct, int bufferBytes)
            throws IOException {
        List<byte[]> expected = datagrams(TOTAL_BYTES, SEGMENT_SIZE);
        try (LinuxUdpSocket sender = LoopbackUdp.bind(bindTo); LinuxUdpSocket receiver = LoopbackUdp.bind(bindTo)) {
            sender.sendSegments(concatenated(expected, direct), SEGMENT_SIZE, receiver.localAddress());

            List<byte[]> received = new ArrayList<>();
            ByteBuffer dst = LoopbackUdp.allocate(direct, bufferBytes);
            int largestReceive = 0;
            while (received.size() < expected.size()) {
                InetSocketAddress from = receiver.receive(dst.clear(), true);
                assertEquals(sender.localAddress(), from);
                largestReceive = Math.max(largestReceive, dst.position());
                received.addAll(split(LoopbackUdp.remainingBytes(dst.flip()), receiver.receivedSegmentSize()));
            }
            assertDatagramsEqual(expected, received);
            assertEquals(0, receiver.truncatedDatagrams());
            if (receiver.hasReceiveOffload() && bufferBytes >= 2 * SEGMENT_SIZE) {
                assertTrue(largestReceive >= 2 * SEGMENT_SIZE, "no receive got more than one datagram");
            }
        }
    }

    /** What one receive delivered, cut as its segment size says (0: a single datagram). */
    private static List<byte[]> split(byte[] batch, int segmentSize) {
        if (segmentSize == 0) {
            return List.of(batch);
        }
        List<byte[]> datagrams = new ArrayList<>();
        for (int offset = 0; offset < batch.length; offset += segmentSize) {
            datagrams.add(Arrays.copyOfRange(batch, offset, Math.min(batch.length, offset + segmentSize)));
        }
        return datagrams;
    }

    /** Datagrams of {@code segmentSize} bytes each (the last shorter), {@code total} bytes in all, all different. */
    private static List<byte[]> datagrams(int total, int segmentSize) {
        List<byte[]> datagrams = new ArrayList<>();
        for (int offset = 0; offset < total; offset += segmentSize) {
            datagrams.add(LoopbackUdp.pattern(datagrams.size(), Math.min(segmentSize, total - offset)));
        }
        return datagrams;
    }

    private static ByteBuffer concatenated(List<byte[]> datagrams, boolean direct) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        datagrams.forEach(bytes::writeBytes);
        return LoopbackUdp.allocate(direct, bytes.size()).put(bytes.toByteArray()).flip();
    }

    private static void assertDatagramsEqual(List<byte[]> expected, List<byte[]> received) {
        assertEquals(expected.size(), received.size(), "datagram count");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), received.get(i), "datagram " + i);
        }
    }
}
