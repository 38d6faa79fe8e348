package io.vpncloud.core.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JDK socket learns nothing of the ICMP errors its datagrams draw (an unconnected channel never sees them),
 * and they do not disturb it: sending to a port where nothing listens neither fails a later send or receive nor
 * produces a report.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JdkUdpSocketSendErrorTest {

    @Test
    void datagramsToADeadPortAreNeitherReportedNorInTheWay() throws IOException {
        try (JdkUdpSocket socket = JdkUdpSocket.bind(new InetSocketAddress("127.0.0.1", 0), 1 << 16);
                JdkUdpSocket peer = JdkUdpSocket.bind(new InetSocketAddress("127.0.0.1", 0), 1 << 16)) {
            InetSocketAddress deadPort = unusedPort();
            ByteBuffer dst = ByteBuffer.allocate(100);

            for (int round = 0; round < 5; round++) {
                socket.send(ByteBuffer.wrap(new byte[] {(byte) round}), deadPort);
                socket.send(ByteBuffer.wrap(new byte[] {(byte) round}), peer.localAddress());
                peer.send(ByteBuffer.wrap(new byte[] {(byte) -round}), socket.localAddress());

                assertEquals(socket.localAddress(), peer.receive(dst.clear(), true));
                assertEquals(peer.localAddress(), socket.receive(dst.clear(), true));
                assertArrayEquals(new byte[] {(byte) -round}, new byte[] {dst.flip().get()});
            }

            assertNull(socket.nextSendError());
        }
    }

    private static InetSocketAddress unusedPort() throws IOException {
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.bind(new InetSocketAddress("127.0.0.1", 0));
            return (InetSocketAddress) channel.getLocalAddress();
        }
    }
}
