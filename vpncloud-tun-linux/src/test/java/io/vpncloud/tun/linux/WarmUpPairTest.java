package io.vpncloud.tun.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vpncloud.api.DeviceType;
import io.vpncloud.api.IpPackets;
import io.vpncloud.api.TunDevice;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The warm-up pair: two devices of this class joined to each other, no interface, no root needed. */
class WarmUpPairTest {
    @ParameterizedTest(name = "offload {0}")
    @ValueSource(booleans = {true, false})
    void whatOneWritesTheOtherReadsInBothDirections(boolean offload) throws Exception {
        assumeTrue(LinuxTunSupport.platformProblem().isEmpty(), LinuxTunSupport.platformProblem());
        List<TunDevice> pair = LinuxTunDevice.pair(DeviceType.TUN, offload, 1500);
        try {
            byte[] ping = IpPackets.echoRequest(address(1), address(2), 7, 1, new byte[56]);
            byte[] udp = IpPackets.udp(address(2), 4000, address(1), 5000, new byte[1372]);
            assertArrayEquals(ping, carry(pair.get(0), pair.get(1), ping));
            assertArrayEquals(udp, carry(pair.get(1), pair.get(0), udp));
        } finally {
            pair.get(0).close();
            pair.get(1).close();
        }
        assertThrows(ClosedChannelException.class, () -> pair.get(1).read(ByteBuffer.allocate(1500)));
    }

    @ParameterizedTest(name = "offload {0}")
    @ValueSource(booleans = {true, false})
    void readIfReadyNeverWaitsAndAwaitReadableWaitsWithoutReading(boolean offload) throws Exception {
        assumeTrue(LinuxTunSupport.platformProblem().isEmpty(), LinuxTunSupport.platformProblem());
        List<TunDevice> pair = LinuxTunDevice.pair(DeviceType.TUN, offload, 1500);
        TunDevice from = pair.get(0);
        TunDevice to = pair.get(1);
        try {
            assertTrue(to.readsWithoutWaiting());
            ByteBuffer buffer = ByteBuffer.allocate(1500);
            assertEquals(-1, to.readIfReady(buffer), "nothing was written yet");
            assertEquals(0, buffer.position(), "a read that found nothing leaves the buffer alone");

            byte[] ping = IpPackets.echoRequest(address(1), address(2), 7, 1, new byte[56]);
            CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
                try {
                    to.awaitReadable();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            from.write(ByteBuffer.wrap(ping));
            from.flush();
            waiting.get(10, TimeUnit.SECONDS);
            to.awaitReadable(); // the packet is still there: waiting did not take it

            assertEquals(ping.length, to.readIfReady(buffer));
            assertArrayEquals(ping, Arrays.copyOf(buffer.array(), ping.length));
            assertEquals(-1, to.readIfReady(buffer.clear()), "the one packet was read");
        } finally {
            from.close();
            to.close();
        }
        assertThrows(ClosedChannelException.class, () -> to.readIfReady(ByteBuffer.allocate(1500)));
        assertThrows(ClosedChannelException.class, to::awaitReadable);
    }

    @ParameterizedTest(name = "offload {0}")
    @ValueSource(booleans = {true, false})
    void closingWakesAThreadWaitingToRead(boolean offload) throws Exception {
        assumeTrue(LinuxTunSupport.platformProblem().isEmpty(), LinuxTunSupport.platformProblem());
        List<TunDevice> pair = LinuxTunDevice.pair(DeviceType.TUN, offload, 1500);
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
            started.countDown();
            try {
                pair.get(1).awaitReadable();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        started.await();
        pair.get(1).close(); // only the waiting one: the other end closing would make it readable (end of file)
        try {
            ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> waiting.get(10, TimeUnit.SECONDS));
            assertTrue(failure.getCause().getCause() instanceof ClosedChannelException, failure.toString());
        } finally {
            pair.get(0).close();
        }
    }

    private static byte[] carry(TunDevice from, TunDevice to, byte[] packet) throws IOException {
        from.write(ByteBuffer.wrap(packet));
        from.flush();
        ByteBuffer received = ByteBuffer.allocate(1500);
        int length = to.read(received);
        assertEquals(packet.length, length);
        return Arrays.copyOf(received.array(), length);
    }

    private static InetAddress address(int host) throws IOException {
        return InetAddress.getByAddress(new byte[]{(byte) 192, 0, 2, (byte) host});
    }
}
