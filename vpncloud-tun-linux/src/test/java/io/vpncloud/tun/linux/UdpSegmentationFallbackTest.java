package io.vpncloud.tun.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.TunDeviceConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Where the route refuses a segmented send (segments larger than its MTU, here that of a real TUN device of MTU
 * 1280), the datagrams still go out, one call each and fragmented; the socket keeps offering segmentation, since
 * other routes take it.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UdpSegmentationFallbackTest {

    private static final int PORT = 9999;
    private static final int SEGMENT_SIZE = 1400;
    private static final int DATAGRAMS = 3;

    @Test
    void segmentsAboveTheRouteMtuGoAsSingleDatagrams() throws IOException {
        RealTun.assumeAvailable();
        LoopbackUdp.assumeAvailable();
        try (LinuxTunDevice device = LinuxTunDevice.open(new TunDeviceConfig("vjgso%d",
                Optional.of(IpRange.parse("10.200.207.1/24")), 1280, false));
                LinuxUdpSocket socket = LoopbackUdp.bind(new InetSocketAddress(0))) {
            InetSocketAddress behindDevice = new InetSocketAddress("10.200.207.2", PORT);

            socket.sendSegments(ByteBuffer.allocate(DATAGRAMS * SEGMENT_SIZE), SEGMENT_SIZE, behindDevice);

            assertEquals(DatagramSender.MAX_SEGMENTS, socket.maxSegments());
            ByteBuffer packet = ByteBuffer.allocate(2000);
            int firstFragments = 0;
            while (firstFragments < DATAGRAMS) {
                device.read(packet.clear());
                if (isFirstFragmentToPort(packet.flip())) {
                    firstFragments++;
                }
            }
        }
    }

    /** Whether {@code packet} is IPv4/UDP to {@link #PORT} and starts a datagram (fragment offset 0). */
    private static boolean isFirstFragmentToPort(ByteBuffer packet) {
        if (packet.remaining() < 28 || (packet.get(0) >> 4) != 4 || packet.get(9) != 17) {
            return false;
        }
        int headerLength = (packet.get(0) & 0x0F) * 4;
        boolean offsetZero = (packet.getShort(6) & 0x1FFF) == 0;
        return offsetZero && (packet.getShort(headerLength + 2) & 0xFFFF) == PORT;
    }
}
