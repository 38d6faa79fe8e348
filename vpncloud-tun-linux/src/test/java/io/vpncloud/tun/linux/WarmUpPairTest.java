package io.vpncloud.tun.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vpncloud.api.DeviceType;
import io.vpncloud.api.IpPackets;
import io.vpncloud.api.TunDevice;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;
import java.util.List;
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
