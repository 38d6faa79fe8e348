package io.vpncloud.core;

import io.vpncloud.api.IpRange;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The send thread asks the device for more after a packet only while traffic is dense: when its turns read one
 * packet each it waits right away, and a burst ends that guess within a few turns, every packet sent in order.
 */
class SparseSendTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final IpRange SERVER = IpRange.parse("10.1.0.2/24");
    private static final int SPARSE_PACKETS = 45;
    private static final int BURST = 500;

    @Test
    void sparsePacketsGoOutWithoutAskingTheDeviceAfterEach() throws Exception {
        AnsweringDevice device = new AnsweringDevice(SERVER, (request, sequence) -> null, true);
        try (TestNode client = TestNode.start("client", "10.1.0.1/24", o -> o);
             VpnNode server = server(device, client.address())) {
            client.awaitRoutedBy(server, "10.1.0.1", WAIT);
            int before = device.emptyReads();
            sendOneByOne(device, client, 0, SPARSE_PACKETS);
            // Reading until empty after each would find nothing once per packet; one turn in nine still does.
            int emptyReads = device.emptyReads() - before;
            assertTrue(emptyReads <= SPARSE_PACKETS / 4,
                    emptyReads + " reads found nothing for " + SPARSE_PACKETS + " packets sent one by one");
        }
    }

    @Test
    void aBurstAfterSparsePacketsGoesOutWholeInOrderAndEndsTheGuess() throws Exception {
        AnsweringDevice device = new AnsweringDevice(SERVER, (request, sequence) -> null, true);
        try (TestNode client = TestNode.start("client", "10.1.0.1/24", o -> o);
             VpnNode server = server(device, client.address())) {
            client.awaitRoutedBy(server, "10.1.0.1", WAIT);
            sendOneByOne(device, client, 0, SPARSE_PACKETS);
            int waitsBefore = device.waits();
            device.injectBurst(BURST, SparseSendTest::numbered);
            for (int i = 0; i < BURST; i++) {
                int expected = SPARSE_PACKETS + i;
                byte[] packet = client.receive(WAIT).orElseThrow(() -> new AssertionError("packet " + expected
                        + " of the burst did not come"));
                assertEquals(expected, number(packet));
            }
            // Were the one-packet guess kept, every packet of the burst would cost a wait of its own.
            int waits = device.waits() - waitsBefore;
            assertTrue(waits <= BURST / 10, waits + " waits for a burst of " + BURST + " packets all there at once");
        }
    }

    /** Queues packets {@code first} to {@code first + count - 1}, each once the client has the one before. */
    private static void sendOneByOne(AnsweringDevice device, TestNode client, int first, int count)
            throws InterruptedException {
        for (int i = first; i < first + count; i++) {
            device.inject(SparseSendTest::numbered);
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
                .build();
        node.start();
        return node;
    }
}
