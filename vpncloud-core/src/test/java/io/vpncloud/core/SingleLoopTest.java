package io.vpncloud.core;

import static io.vpncloud.core.NumberedPackets.WAIT;
import static io.vpncloud.core.NumberedPackets.assertReceived;
import static io.vpncloud.core.NumberedPackets.sendOneByOne;
import static io.vpncloud.core.NumberedPackets.server;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vpncloud.api.IpRange;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * While traffic is sparse a node whose socket can wait for the device too runs as one loop: after a quiet spell the
 * send thread leaves the device to the receive thread, which sends what the host routes into the tunnel; a burst
 * hands the device back to the send thread, every packet in order, and the next quiet spell leaves it to the
 * receive thread again.
 */
class SingleLoopTest {
    private static final IpRange SERVER = IpRange.parse("10.1.0.2/24");
    private static final int SPARSE_PACKETS = 20;
    private static final int BURST = 500;
    /** Between sparse packets: longer than the millisecond of waiting after which the send thread leaves the device. */
    private static final long GAP_MILLIS = 4;

    @Test
    void sparsePacketsGoOutOnTheReceiveThread() throws Exception {
        AnsweringDevice device = new AnsweringDevice(SERVER, (request, sequence) -> null, true);
        try (TestNode client = TestNode.start("client", "10.1.0.1/24", o -> o);
             VpnNode server = server(device, client.address(), new JointWaitSocketProvider())) {
            client.awaitRoutedBy(server, "10.1.0.1", WAIT);
            sendOneByOne(device, client, 0, SPARSE_PACKETS, GAP_MILLIS);
            // The send thread may read the first packet or two; after its first long wait the device is the
            // receive thread's.
            assertLastReadByReceiveThread(device, SPARSE_PACKETS / 2);
        }
    }

    @Test
    void aBurstGoesBackToTheSendThreadWholeAndInOrderAndTheNextQuietSpellReturnsIt() throws Exception {
        AnsweringDevice device = new AnsweringDevice(SERVER, (request, sequence) -> null, true);
        try (TestNode client = TestNode.start("client", "10.1.0.1/24", o -> o);
             VpnNode server = server(device, client.address(), new JointWaitSocketProvider())) {
            client.awaitRoutedBy(server, "10.1.0.1", WAIT);
            sendOneByOne(device, client, 0, SPARSE_PACKETS, GAP_MILLIS);
            device.injectBurst(BURST, NumberedPackets::numbered);
            for (int i = 0; i < BURST; i++) {
                assertReceived(client, SPARSE_PACKETS + i);
            }
            List<String> burstReaders = device.readers().subList(SPARSE_PACKETS, SPARSE_PACKETS + BURST);
            long bySendThread = burstReaders.stream().filter(name -> name.endsWith("-send")).count();
            assertTrue(bySendThread >= BURST / 2, bySendThread + " of " + BURST + " packets of the burst read by the "
                    + "send thread: the receive thread kept the device");

            sendOneByOne(device, client, SPARSE_PACKETS + BURST, SPARSE_PACKETS, GAP_MILLIS);
            assertLastReadByReceiveThread(device, SPARSE_PACKETS / 2);
        }
    }

    /** The last {@code count} packets read from the device were read by the receive thread. */
    private static void assertLastReadByReceiveThread(AnsweringDevice device, int count) {
        List<String> readers = device.readers();
        List<String> last = readers.subList(readers.size() - count, readers.size());
        assertTrue(last.stream().allMatch(name -> name.endsWith("-receive")), "who read the last sparse packets: "
                + last);
    }
}
