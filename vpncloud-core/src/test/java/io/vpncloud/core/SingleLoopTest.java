package io.vpncloud.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vpncloud.api.IpRange;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * While traffic is sparse a node whose socket can wait for the device too runs as one loop: after a quiet spell the
 * send thread leaves the device to the receive thread, which sends what the host routes into the tunnel; a burst
 * hands the device back to the send thread, every packet in order, and the next quiet spell leaves it to the
 * receive thread again.
 */
class SingleLoopTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final IpRange SERVER = IpRange.parse("10.1.0.2/24");
    private static final int SPARSE_PACKETS = 20;
    private static final int BURST = 500;
    /** Between sparse packets: longer than the millisecond of waiting after which the send thread leaves the device. */
    private static final long GAP_MILLIS = 4;

    @Test
    void sparsePacketsGoOutOnTheReceiveThread() throws Exception {
        AnsweringDevice device = new AnsweringDevice(SERVER, (request, sequence) -> null, true);
        try (TestNode client = TestNode.start("client", "10.1.0.1/24", o -> o);
             VpnNode server = server(device, client.address())) {
            client.awaitRoutedBy(server, "10.1.0.1", WAIT);
            sendSparsely(device, client, 0, SPARSE_PACKETS);
            List<String> readers = device.readers();
            // The send thread may read the first packet or two; after its first long wait the device is the
            // receive thread's.
            assertTrue(readers.subList(SPARSE_PACKETS / 2, SPARSE_PACKETS).stream().allMatch(SingleLoopTest::receive),
                    "who read the sparse packets: " + readers);
        }
    }

    @Test
    void aBurstGoesBackToTheSendThreadWholeAndInOrderAndTheNextQuietSpellReturnsIt() throws Exception {
        AnsweringDevice device = new AnsweringDevice(SERVER, (request, sequence) -> null, true);
        try (TestNode client = TestNode.start("client", "10.1.0.1/24", o -> o);
             VpnNode server = server(device, client.address())) {
            client.awaitRoutedBy(server, "10.1.0.1", WAIT);
            sendSparsely(device, client, 0, SPARSE_PACKETS);
            device.injectBurst(BURST, SingleLoopTest::numbered);
            for (int i = 0; i < BURST; i++) {
                int expected = SPARSE_PACKETS + i;
                byte[] packet = client.receive(WAIT).orElseThrow(() -> new AssertionError("packet " + expected
                        + " of the burst did not come"));
                assertEquals(expected, number(packet));
            }
            List<String> burstReaders = device.readers().subList(SPARSE_PACKETS, SPARSE_PACKETS + BURST);
            long bySendThread = burstReaders.stream().filter(name -> name.endsWith("-send")).count();
            assertTrue(bySendThread >= BURST / 2, bySendThread + " of " + BURST + " packets of the burst read by the "
                    + "send thread: the receive thread kept the device");

            sendSparsely(device, client, SPARSE_PACKETS + BURST, SPARSE_PACKETS);
            List<String> readers = device.readers();
            assertTrue(readers.subList(readers.size() - SPARSE_PACKETS / 2, readers.size()).stream()
                    .allMatch(SingleLoopTest::receive), "who read the sparse packets after the burst: "
                    + readers.subList(SPARSE_PACKETS + BURST, readers.size()));
        }
    }

    private static boolean receive(String threadName) {
        return threadName.endsWith("-receive");
    }

    /**
     * Queues packets {@code first} to {@code first + count - 1}, each a few milliseconds after the client has the
     * one before: the quiet spells make the traffic sparse (the pause is the traffic's pattern, not a wait for it).
     */
    private static void sendSparsely(AnsweringDevice device, TestNode client, int first, int count)
            throws InterruptedException {
        for (int i = first; i < first + count; i++) {
            Thread.sleep(GAP_MILLIS);
            device.inject(SingleLoopTest::numbered);
            int expected = i;
            byte[] packet = client.receive(WAIT).orElseThrow(() -> new AssertionError("packet " + expected
                    + " did not come"));
            assertEquals(expected, number(packet));
        }
    }

    /** A UDP packet from the server to the client carrying {@code sequence} as its first four payload bytes. */
    private static byte[] numbered(int sequence) {
        return Ipv4Packets.udp("10.1.0.2", 40000, "10.1.0.1", 40000, ByteBuffer.allocate(8).putInt(sequence).array());
    }

    private static int number(byte[] packet) {
        return ByteBuffer.wrap(packet, 28, 4).getInt();
    }

    private static VpnNode server(AnsweringDevice device, String peer) throws Exception {
        VpnNode node = VpnNode.builder().password("test-password").listen("127.0.0.1:0").device(device).peer(peer)
                .socketProvider(new JointWaitSocketProvider()).build();
        node.start();
        return node;
    }
}
