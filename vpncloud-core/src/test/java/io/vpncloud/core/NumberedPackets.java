package io.vpncloud.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vpncloud.api.UdpSocketProvider;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * What the tests of the send path's turns share: a server node on an {@link AnsweringDevice} at 10.1.0.2 whose host
 * "routes" numbered UDP packets into the tunnel, and a client (10.1.0.1) that checks they come in order.
 */
final class NumberedPackets {
    static final Duration WAIT = Duration.ofSeconds(10);

    private NumberedPackets() {
    }

    /** A UDP packet from the server to the client carrying {@code sequence} as its first four payload bytes. */
    static byte[] numbered(int sequence) {
        return Ipv4Packets.udp("10.1.0.2", 40000, "10.1.0.1", 40000, ByteBuffer.allocate(8).putInt(sequence).array());
    }

    static int number(byte[] packet) {
        return ByteBuffer.wrap(packet, 28, 4).getInt();
    }

    /**
     * Queues packets {@code first} to {@code first + count - 1}, each once the client has the one before and
     * {@code gapMillis} more have passed (0: at once). A gap is the traffic's pattern (a quiet spell before each
     * packet), not a wait for anything.
     */
    static void sendOneByOne(AnsweringDevice device, TestNode client, int first, int count, long gapMillis)
            throws InterruptedException {
        for (int i = first; i < first + count; i++) {
            if (gapMillis > 0) {
                Thread.sleep(gapMillis);
            }
            device.inject(NumberedPackets::numbered);
            assertReceived(client, i);
        }
    }

    /** Waits for the client's next packet and checks it is number {@code expected}. */
    static void assertReceived(TestNode client, int expected) throws InterruptedException {
        byte[] packet = client.receive(WAIT).orElseThrow(() -> new AssertionError("packet " + expected
                + " did not come"));
        assertEquals(expected, number(packet));
    }

    /** The server node on {@code device}, connecting to {@code peer}, with sockets of {@code sockets}. */
    static VpnNode server(AnsweringDevice device, String peer, UdpSocketProvider sockets) throws Exception {
        VpnNode.Builder builder = VpnNode.builder().password("test-password").listen("127.0.0.1:0").device(device)
                .peer(peer);
        VpnNode node = (sockets == null ? builder : builder.socketProvider(sockets)).build();
        node.start();
        return node;
    }
}
