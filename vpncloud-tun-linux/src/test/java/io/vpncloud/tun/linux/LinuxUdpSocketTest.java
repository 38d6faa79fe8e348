package io.vpncloud.tun.linux;

import static io.vpncloud.tun.linux.LoopbackUdp.IPV4_ANY_PORT;
import static io.vpncloud.tun.linux.LoopbackUdp.IPV6_ANY_PORT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LinuxUdpSocketTest {

    @BeforeEach
    void assumeLinux() {
        LoopbackUdp.assumeAvailable();
    }

    @ParameterizedTest(name = "direct buffers: {0}")
    @ValueSource(booleans = {false, true})
    void roundTripOverIpv4(boolean direct) throws IOException {
        try (LinuxUdpSocket a = LoopbackUdp.bind(IPV4_ANY_PORT); LinuxUdpSocket b = LoopbackUdp.bind(IPV4_ANY_PORT)) {
            assertRoundTrip(a, b, direct);
        }
    }

    @ParameterizedTest(name = "direct buffers: {0}")
    @ValueSource(booleans = {false, true})
    void roundTripOverIpv6(boolean direct) throws IOException {
        LoopbackUdp.assumeIpv6();
        try (LinuxUdpSocket a = LoopbackUdp.bind(IPV6_ANY_PORT); LinuxUdpSocket b = LoopbackUdp.bind(IPV6_ANY_PORT)) {
            assertRoundTrip(a, b, direct);
        }
    }

    @Test
    void wildcardSocketReportsIpv4SendersAsPlainIpv4() throws IOException {
        try (LinuxUdpSocket socket = LoopbackUdp.bind(new InetSocketAddress(0));
                DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET)) {
            channel.bind(IPV4_ANY_PORT);
            channel.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), LoopbackUdp.target(socket, "127.0.0.1"));
            ByteBuffer dst = ByteBuffer.allocate(1500);

            InetSocketAddress sender = socket.receive(dst, true);

            assertInstanceOf(Inet4Address.class, sender.getAddress());
            assertEquals(channel.getLocalAddress(), sender);
            assertEquals(3, dst.position());
        }
    }

    @Test
    void wildcardSocketAnswersIpv4SendersOverIpv4() throws IOException {
        try (LinuxUdpSocket socket = LoopbackUdp.bind(new InetSocketAddress(0));
                DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET)) {
            channel.bind(IPV4_ANY_PORT);

            socket.send(ByteBuffer.wrap(new byte[] {9, 8}), (InetSocketAddress) channel.getLocalAddress());

            ByteBuffer dst = ByteBuffer.allocate(100);
            InetSocketAddress sender = (InetSocketAddress) channel.receive(dst);
            assertEquals(socket.localAddress().getPort(), sender.getPort());
            assertArrayEquals(new byte[] {9, 8}, LoopbackUdp.remainingBytes(dst.flip()));
        }
    }

    @Test
    void consecutiveDatagramsFromOneSenderShareTheSenderObject() throws IOException {
        try (LinuxUdpSocket receiver = LoopbackUdp.bind(IPV4_ANY_PORT);
                DatagramChannel first = DatagramChannel.open().bind(IPV4_ANY_PORT);
                DatagramChannel second = DatagramChannel.open().bind(IPV4_ANY_PORT)) {
            InetSocketAddress target = receiver.localAddress();
            first.send(ByteBuffer.allocate(10), target);
            first.send(ByteBuffer.allocate(20), target);
            second.send(ByteBuffer.allocate(30), target);
            ByteBuffer dst = ByteBuffer.allocate(1500);

            InetSocketAddress one = receiver.receive(dst.clear(), true);
            InetSocketAddress two = receiver.receive(dst.clear(), true);
            InetSocketAddress three = receiver.receive(dst.clear(), true);

            assertSame(one, two);
            assertEquals(first.getLocalAddress(), one);
            assertEquals(second.getLocalAddress(), three);
        }
    }

    @Test
    void moreQueuedDatagramsThanOneSystemCallTakesComeOutInOrderWithTheirSenders() throws IOException {
        try (LinuxUdpSocket receiver = LoopbackUdp.bind(IPV4_ANY_PORT);
                DatagramChannel first = DatagramChannel.open().bind(IPV4_ANY_PORT);
                DatagramChannel second = DatagramChannel.open().bind(IPV4_ANY_PORT)) {
            InetSocketAddress target = receiver.localAddress();
            int count = 3 * MessageBatch.SLOTS + 1;
            for (int i = 0; i < count; i++) {
                (i % 3 == 0 ? second : first).send(ByteBuffer.wrap(LoopbackUdp.pattern(i, 100 + i)), target);
            }
            ByteBuffer dst = ByteBuffer.allocate(1500);

            for (int i = 0; i < count; i++) {
                InetSocketAddress sender = receiver.receive(dst.clear(), true);
                assertEquals((i % 3 == 0 ? second : first).getLocalAddress(), sender, "datagram " + i);
                assertArrayEquals(LoopbackUdp.pattern(i, 100 + i), LoopbackUdp.remainingBytes(dst.flip()));
            }
            assertNull(receiver.receive(dst.clear(), false));
        }
    }

    @Test
    void anEmptyDatagramIsHandedOutEmptyWithItsSender() throws IOException {
        // The receive path wakes its own thread with an empty datagram; losing it would leave the thread asleep.
        try (LinuxUdpSocket receiver = LoopbackUdp.bind(IPV4_ANY_PORT);
                DatagramChannel sender = DatagramChannel.open().bind(IPV4_ANY_PORT)) {
            sender.send(ByteBuffer.allocate(0), receiver.localAddress());
            sender.send(ByteBuffer.wrap(LoopbackUdp.pattern(3, 50)), receiver.localAddress());
            ByteBuffer dst = ByteBuffer.allocate(1500);

            assertEquals(sender.getLocalAddress(), receiver.receive(dst, true));
            assertEquals(0, dst.position());
            assertEquals(sender.getLocalAddress(), receiver.receive(dst, true));
            assertArrayEquals(LoopbackUdp.pattern(3, 50), LoopbackUdp.remainingBytes(dst.flip()));
        }
    }

    @Test
    void receiveWithoutWaitingReturnsNullWhenNothingIsQueued() throws IOException {
        try (LinuxUdpSocket socket = LoopbackUdp.bind(IPV4_ANY_PORT)) {
            ByteBuffer dst = ByteBuffer.allocate(1500);

            assertNull(socket.receive(dst, false));
            assertEquals(0, dst.position());
        }
    }

    @Test
    void closeWakesABlockedReceiver() throws Exception {
        LinuxUdpSocket socket = LoopbackUdp.bind(IPV4_ANY_PORT);
        Thread[] receiverThread = new Thread[1];
        CompletableFuture<InetSocketAddress> received = CompletableFuture.supplyAsync(() -> {
            receiverThread[0] = Thread.currentThread();
            try {
                return socket.receive(ByteBuffer.allocate(1500), true);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        awaitBlockedInRecvmmsg(receiverThread);

        socket.close();

        ExecutionException failure = assertThrows(ExecutionException.class, () -> received.get(10, TimeUnit.SECONDS));
        assertInstanceOf(AsynchronousCloseException.class, failure.getCause().getCause());
    }

    @Test
    void aClosedSocketRefusesEverythingAndClosesIdempotently() throws IOException {
        LinuxUdpSocket socket = LoopbackUdp.bind(IPV4_ANY_PORT);
        InetSocketAddress target = socket.localAddress();

        socket.close();
        socket.close();

        assertEquals(ClosedChannelException.class,
                assertThrows(IOException.class, () -> socket.send(ByteBuffer.allocate(1), target)).getClass());
        assertEquals(ClosedChannelException.class,
                assertThrows(IOException.class, () -> socket.receive(ByteBuffer.allocate(9), true)).getClass());
        assertThrows(ClosedChannelException.class, socket::localAddress);
    }

    @Test
    void bindingAPortInUseNamesTheAddressAndTheReason() throws IOException {
        try (LinuxUdpSocket taken = LoopbackUdp.bind(IPV4_ANY_PORT)) {
            int port = taken.localAddress().getPort();

            IOException specific = assertThrows(IOException.class,
                    () -> LoopbackUdp.bind(new InetSocketAddress("127.0.0.1", port)));
            IOException wildcard = assertThrows(IOException.class,
                    () -> LoopbackUdp.bind(new InetSocketAddress("0.0.0.0", port)));

            assertEquals("cannot listen on UDP 127.0.0.1:" + port + ": Address already in use", specific.getMessage());
            assertEquals("cannot listen on UDP 0.0.0.0:" + port + ": Address already in use", wildcard.getMessage());
        }
    }

    @Test
    void anIpv4SocketCannotReachAnIpv6Address() throws IOException {
        try (LinuxUdpSocket socket = LoopbackUdp.bind(IPV4_ANY_PORT)) {
            IOException failure = assertThrows(IOException.class,
                    () -> socket.send(ByteBuffer.allocate(1), new InetSocketAddress("::1", 4000)));

            assertTrue(failure.getMessage().contains("[0:0:0:0:0:0:0:1]:4000"), failure.getMessage());
        }
    }

    @Test
    void aDatagramLargerThanTheBufferIsDroppedAndCounted() throws IOException {
        try (LinuxUdpSocket receiver = LoopbackUdp.bind(IPV4_ANY_PORT);
                DatagramChannel sender = DatagramChannel.open().bind(IPV4_ANY_PORT)) {
            sender.send(ByteBuffer.wrap(LoopbackUdp.pattern(1, 2000)), receiver.localAddress());
            sender.send(ByteBuffer.wrap(LoopbackUdp.pattern(2, 100)), receiver.localAddress());
            ByteBuffer dst = ByteBuffer.allocate(1500);

            receiver.receive(dst, true);

            assertArrayEquals(LoopbackUdp.pattern(2, 100), LoopbackUdp.remainingBytes(dst.flip()));
            assertEquals(1, receiver.truncatedDatagrams());
        }
    }

    /** Sends one datagram each way and checks contents, positions and the reported senders. */
    private static void assertRoundTrip(LinuxUdpSocket a, LinuxUdpSocket b, boolean direct) throws IOException {
        byte[] payload = LoopbackUdp.pattern(5, 1400);
        ByteBuffer src = LoopbackUdp.allocate(direct, 2000).put(payload).flip();
        ByteBuffer dst = LoopbackUdp.allocate(direct, 2000);

        a.send(src, b.localAddress());
        InetSocketAddress senderAtB = b.receive(dst, true);
        b.send(dst.flip(), a.localAddress());
        InetSocketAddress senderAtA = a.receive(dst.clear(), true);

        assertEquals(src.limit(), src.position());
        assertEquals(a.localAddress(), senderAtB);
        assertEquals(b.localAddress(), senderAtA);
        assertArrayEquals(payload, LoopbackUdp.remainingBytes(dst.flip()));
        assertEquals(0, a.receivedSegmentSize());
    }

    /** Waits (spinning, with the test's timeout as the bound) until the thread sits in {@code recvmmsg}. */
    private static void awaitBlockedInRecvmmsg(Thread[] thread) {
        while (thread[0] == null || !isInRecvmmsg(thread[0])) {
            Thread.onSpinWait();
        }
    }

    private static boolean isInRecvmmsg(Thread thread) {
        StackTraceElement[] stack = thread.getStackTrace();
        return stack.length > 0 && stack[0].getMethodName().equals("recvmmsg");
    }
}
