package io.vpncloud.tun.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vpncloud.api.DeviceType;
import io.vpncloud.api.IpPackets;
import io.vpncloud.api.IpRange;
import io.vpncloud.api.TunDevice;
import io.vpncloud.api.UdpSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The socket's wait for a datagram or a device packet at once ({@link UdpSocket#awaitDatagramOrPacket}), with the
 * warm-up pair's devices (no interface, no root needed) and a loopback socket: it tells what is there, takes neither,
 * and ends with an exception when either side is closed while it waits.
 */
class JointWaitTest {
    private static final int TIMEOUT_SECONDS = 10;

    @ParameterizedTest(name = "offload {0}")
    @ValueSource(booleans = {true, false})
    void tellsWhatIsThereAndTakesNothing(boolean offload) throws Exception {
        assumeAvailable();
        List<TunDevice> pair = LinuxTunDevice.pair(DeviceType.TUN, offload, 1500);
        TunDevice host = pair.get(0);
        TunDevice device = pair.get(1);
        try (LinuxUdpSocket socket = LoopbackUdp.bind(LoopbackUdp.IPV4_ANY_PORT);
             LinuxUdpSocket peer = LoopbackUdp.bind(LoopbackUdp.IPV4_ANY_PORT)) {
            assertTrue(socket.canAwaitWith(device));
            byte[] ping = IpPackets.echoRequest(address(1), address(2), 7, 1, new byte[56]);
            CompletableFuture<Integer> packetWait = CompletableFuture.supplyAsync(() -> await(socket, device));
            host.write(ByteBuffer.wrap(ping));
            host.flush();
            assertEquals(UdpSocket.PACKET_READY, packetWait.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));

            byte[] datagram = LoopbackUdp.pattern(3, 200);
            peer.send(ByteBuffer.wrap(datagram), LoopbackUdp.target(socket, "127.0.0.1"));
            assertEquals(UdpSocket.DATAGRAM_READY | UdpSocket.PACKET_READY, awaitBoth(socket, device),
                    "the packet is still there, and the datagram came");

            ByteBuffer packet = ByteBuffer.allocate(1500);
            assertEquals(ping.length, device.readIfReady(packet));
            assertArrayEquals(ping, Arrays.copyOf(packet.array(), ping.length));
            ByteBuffer received = ByteBuffer.allocate(1500);
            assertEquals(peer.localAddress().getPort(), socket.receive(received, false).getPort());
            assertArrayEquals(datagram, Arrays.copyOf(received.array(), received.position()));
            assertEquals(-1, device.readIfReady(packet.clear()), "waiting took nothing, so one read took it all");
        } finally {
            host.close();
            device.close();
        }
    }

    @Test
    void datagramsLeftFromTheLastReceiveCountAsThere() throws Exception {
        assumeAvailable();
        List<TunDevice> pair = LinuxTunDevice.pair(DeviceType.TUN, false, 1500);
        try (LinuxUdpSocket socket = LoopbackUdp.bind(LoopbackUdp.IPV4_ANY_PORT);
             LinuxUdpSocket peer = LoopbackUdp.bind(LoopbackUdp.IPV4_ANY_PORT)) {
            InetSocketAddress target = LoopbackUdp.target(socket, "127.0.0.1");
            peer.send(ByteBuffer.wrap(LoopbackUdp.pattern(1, 100)), target);
            peer.send(ByteBuffer.wrap(LoopbackUdp.pattern(2, 100)), target);
            ByteBuffer received = ByteBuffer.allocate(1500);
            assertTrue(socket.receive(received, true) != null);
            // The second datagram may already sit in the receiver (one recvmmsg takes all that is queued), where
            // poll(2) cannot see it: the wait must return at once either way.
            assertEquals(UdpSocket.DATAGRAM_READY, CompletableFuture.supplyAsync(() -> await(socket, pair.get(1)))
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertTrue(socket.receive(received.clear(), false) != null);
        } finally {
            pair.get(0).close();
            pair.get(1).close();
        }
    }

    @Test
    void closingTheSocketOrTheDeviceEndsTheWait() throws Exception {
        assumeAvailable();
        List<TunDevice> pair = LinuxTunDevice.pair(DeviceType.TUN, false, 1500);
        try (LinuxUdpSocket socket = LoopbackUdp.bind(LoopbackUdp.IPV4_ANY_PORT)) {
            assertClosingEndsTheWait(socket, pair.get(1), socket::close);
        } finally {
            pair.get(0).close();
        }
        List<TunDevice> second = LinuxTunDevice.pair(DeviceType.TUN, false, 1500);
        try (LinuxUdpSocket socket = LoopbackUdp.bind(LoopbackUdp.IPV4_ANY_PORT)) {
            assertClosingEndsTheWait(socket, second.get(1), second.get(1)::close);
        } finally {
            second.get(0).close();
        }
    }

    @Test
    void onlyTheDevicesOfThisModule() throws Exception {
        LoopbackUdp.assumeAvailable();
        TunDevice other = new OtherDevice();
        try (LinuxUdpSocket socket = LoopbackUdp.bind(LoopbackUdp.IPV4_ANY_PORT)) {
            assertFalse(socket.canAwaitWith(other));
            assertThrows(UnsupportedOperationException.class, () -> socket.awaitDatagramOrPacket(other));
        }
    }

    private interface Close {
        void run() throws IOException;
    }

    private static void assertClosingEndsTheWait(LinuxUdpSocket socket, TunDevice device, Close close)
            throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> {
            started.countDown();
            return await(socket, device);
        });
        started.await();
        close.run();
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> waiting.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertTrue(failure.getCause().getCause() instanceof ClosedChannelException, failure.toString());
        device.close();
    }

    /** Waits until the datagram is there too; the packet alone ends every wait at once, so this loops (bounded). */
    private static int awaitBoth(LinuxUdpSocket socket, TunDevice device) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        int ready;
        do {
            ready = await(socket, device);
        } while ((ready & UdpSocket.DATAGRAM_READY) == 0 && System.nanoTime() < deadline);
        return ready;
    }

    private static int await(LinuxUdpSocket socket, TunDevice device) {
        try {
            return socket.awaitDatagramOrPacket(device);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assumeAvailable() {
        LoopbackUdp.assumeAvailable();
        assumeTrue(LinuxTunSupport.platformProblem().isEmpty(), LinuxTunSupport.platformProblem());
    }

    private static InetAddress address(int host) throws IOException {
        return InetAddress.getByAddress(new byte[] {10, 9, 0, (byte) host});
    }

    /** A device of another implementation. */
    private static final class OtherDevice implements TunDevice {
        @Override
        public String name() {
            return "other";
        }

        @Override
        public int mtu() {
            return 1400;
        }

        @Override
        public Optional<IpRange> address() {
            return Optional.empty();
        }

        @Override
        public int read(ByteBuffer dst) {
            return 0;
        }

        @Override
        public void write(ByteBuffer src) {
        }

        @Override
        public void close() {
        }
    }
}
