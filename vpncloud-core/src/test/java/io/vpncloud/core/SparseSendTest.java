package io.vpncloud.core;

import static io.vpncloud.core.NumberedPackets.WAIT;
import static io.vpncloud.core.NumberedPackets.assertReceived;
import static io.vpncloud.core.NumberedPackets.sendOneByOne;
import static io.vpncloud.core.NumberedPackets.server;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vpncloud.api.IpRange;
import org.junit.jupiter.api.Test;

/**
 * The send thread asks the device for more after a packet only while traffic is dense: when its turns read one
 * packet each it waits right away, and a burst ends that guess within a few turns, every packet sent in order.
 */
class SparseSendTest {
    private static final IpRange SERVER = IpRange.parse("10.1.0.2/24");
    private static final int SPARSE_PACKETS = 45;
    private static final int BURST = 500;

    @Test
    void sparsePacketsGoOutWithoutAskingTheDeviceAfterEach() throws Exception {
        AnsweringDevice device = new AnsweringDevice(SERVER, (request, sequence) -> null, true);
        try (TestNode client = TestNode.start("client", "10.1.0.1/24", o -> o);
             VpnNode server = server(device, client.address(), null)) {
            client.awaitRoutedBy(server, "10.1.0.1", WAIT);
            int before = device.emptyReads();
            sendOneByOne(device, client, 0, SPARSE_PACKETS, 0);
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
             VpnNode server = server(device, client.address(), null)) {
            client.awaitRoutedBy(server, "10.1.0.1", WAIT);
            sendOneByOne(device, client, 0, SPARSE_PACKETS, 0);
            int waitsBefore = device.waits();
            device.injectBurst(BURST, NumberedPackets::numbered);
            for (int i = 0; i < BURST; i++) {
                assertReceived(client, SPARSE_PACKETS + i);
            }
            // Were the one-packet guess kept, every packet of the burst would cost a wait of its own.
            int waits = device.waits() - waitsBefore;
            assertTrue(waits <= BURST / 10, waits + " waits for a burst of " + BURST + " packets all there at once");
        }
    }
}
