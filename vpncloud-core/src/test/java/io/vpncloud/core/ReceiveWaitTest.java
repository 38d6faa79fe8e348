package io.vpncloud.core;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.UdpSocket;
import io.vpncloud.api.UdpSocketProvider;
import io.vpncloud.core.net.JdkUdpSocket;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The receive thread asks the socket without waiting (before it flushes the device) only while the device may hold
 * written packets back ({@code TunDevice.mayHoldWrites}); after a packet the device took at once it waits for the
 * network straight away, one system call per packet less on an idle link.
 */
class ReceiveWaitTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int PACKETS = 30;

    @Test
    void afterPacketsTheDeviceTookAtOnceTheReceiveThreadWaitsWithoutAskingFirst() throws Exception {
        CountingSocketProvider sockets = new CountingSocketProvider();
        try (TestNode client = TestNode.start("client", "10.1.0.1/24", o -> o);
             TestNode server = TestNode.start("server", "10.1.0.2/24",
                     o -> o.socketProvider(sockets).peer(client.address()))) {
            server.awaitPeers(1, WAIT);
            long before = sockets.receivesWithoutWaiting.get();
            for (int i = 0; i < PACKETS; i++) {
                client.send("10.1.0.1", "10.1.0.2", "packet " + i);
                byte[] packet = server.receive(WAIT).orElseThrow(() -> new AssertionError("a packet did not come"));
                assertEquals("packet " + i, Ipv4Packets.payloadText(packet));
            }
            assertEquals(0, sockets.receivesWithoutWaiting.get() - before,
                    "receives without waiting, with a device that keeps nothing back");
        }
    }

    @Test
    void aDeviceThatMayHoldWritesIsAskedToFlushBeforeEachWait() throws Exception {
        // The answering device does not override mayHoldWrites: as any device that does not tell, it may hold.
        CountingSocketProvider sockets = new CountingSocketProvider();
        AnsweringDevice device = new AnsweringDevice(IpRange.parse("10.1.0.2/24"), (request, sequence) ->
                Ipv4Packets.udp("10.1.0.2", "10.1.0.1", "answer " + sequence), true);
        try (TestNode client = TestNode.start("client", "10.1.0.1/24", o -> o);
             VpnNode server = VpnNode.builder().password("test-password").listen("127.0.0.1:0").device(device)
                     .socketProvider(sockets).peer(client.address()).build()) {
            server.start();
            client.awaitRoutedBy(server, "10.1.0.1", WAIT);
            long before = sockets.receivesWithoutWaiting.get();
            for (int i = 0; i < PACKETS; i++) {
                client.send("10.1.0.1", "10.1.0.2", "request " + i);
                client.receive(WAIT).orElseThrow(() -> new AssertionError("an answer did not come"));
            }
            // One per request; that of the last may still be to come when its answer is already back.
            long asked = sockets.receivesWithoutWaiting.get() - before;
            assertTrue(asked >= PACKETS - 1, "receives without waiting: " + asked + " for " + PACKETS + " packets");
        }
    }

    /** The JDK's UDP sockets, counting the receives that do not wait. */
    private static final class CountingSocketProvider implements UdpSocketProvider {
        final AtomicLong receivesWithoutWaiting = new AtomicLong();

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public UdpSocket bind(InetSocketAddress listen, int bufferBytes) throws IOException {
            return new ForwardingUdpSocket(JdkUdpSocket.bind(listen, bufferBytes)) {
                @Override
                public InetSocketAddress receive(ByteBuffer dst, boolean wait) throws IOException {
                    if (!wait) {
                        receivesWithoutWaiting.incrementAndGet();
                    }
                    return socket.receive(dst, wait);
                }
            };
        }
    }
}
