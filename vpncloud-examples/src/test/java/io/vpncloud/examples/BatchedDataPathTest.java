package io.vpncloud.examples;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.UdpSocketProvider;
import io.vpncloud.api.VpnEvent;
import io.vpncloud.api.VpnListener;
import io.vpncloud.core.Ipv4Packets;
import io.vpncloud.core.MemoryTunDevice;
import io.vpncloud.core.VpnNode;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two nodes whose UDP sockets come from the Linux provider (segmentation and receive offload) carry bursts of
 * packets: the in-memory device hands out several packets at once, so the send path batches equal datagrams into
 * one sendmsg, the receiving kernel may hand them over together, and the receive path splits them again. Every
 * packet must arrive whole and in order.
 */
class BatchedDataPathTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int ROUNDS = 20;
    private static final int BURST = 100;

    @Test
    void burstsArriveWholeAndInOrder() throws Exception {
        assumeTrue(linuxSocketAvailable(), "the Linux UDP socket provider is not available here (not Linux?)");
        MemoryTunDevice deviceA = new MemoryTunDevice("a", IpRange.parse("10.9.0.1/24"), 1427, 4096);
        MemoryTunDevice deviceB = new MemoryTunDevice("b", IpRange.parse("10.9.0.2/24"), 1427, 4096);
        CountDownLatch routeToB = new CountDownLatch(1);
        VpnListener routes = event -> {
            if (event instanceof VpnEvent.RouteOwnerChanged change
                    && change.range().equals(IpRange.parse("10.9.0.2/32")) && change.newOwner().isPresent()) {
                routeToB.countDown();
            }
        };
        try (VpnNode a = VpnNode.builder().password("batch").listen("127.0.0.1:0").device(deviceA).listener(routes)
                .build()) {
            a.start();
            try (VpnNode b = VpnNode.builder().password("batch").listen("127.0.0.1:0").device(deviceB)
                    .peer("127.0.0.1:" + a.listenAddress().getPort()).build()) {
                b.start();
                assertTrue(routeToB.await(WAIT.toSeconds(), TimeUnit.SECONDS), "a never learnt the route to b");
                int sequence = 0;
                for (int round = 0; round < ROUNDS; round++) {
                    int first = sequence;
                    for (int i = 0; i < BURST; i++) {
                        deviceA.inject(packet(sequence++));
                    }
                    for (int expected = first; expected < sequence; expected++) {
                        byte[] received = deviceB.receive(WAIT).orElseThrow(
                                () -> new AssertionError("a packet of the burst did not arrive"));
                        assertArrayEquals(packet(expected), received, "packet " + expected);
                    }
                }
                assertEquals(0, deviceB.droppedPackets(), "packets b's device had no room for");
                assertEquals(0, b.status().traffic().invalid(), "datagrams b could not use");
            }
        }
    }

    /** Sizes repeat in runs of seven equal ones, then one shorter: batches of many and batches cut short. */
    private static byte[] packet(int sequence) {
        int size = sequence % 8 == 7 ? 200 + sequence % 100 : 1200;
        byte[] payload = new byte[size];
        ByteBuffer.wrap(payload).putInt(sequence);
        for (int i = 4; i < size; i++) {
            payload[i] = (byte) (sequence + i);
        }
        return Ipv4Packets.udp("10.9.0.1", 5000, "10.9.0.2", 5000, payload);
    }

    private static boolean linuxSocketAvailable() {
        for (UdpSocketProvider provider : ServiceLoader.load(UdpSocketProvider.class)) {
            if (provider.name().equals("linux") && provider.isAvailable()) {
                return true;
            }
        }
        return false;
    }
}
