package io.vpncloud.tun.linux;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;

/** What the tests with real {@link LinuxUdpSocket}s on loopback share. */
final class LoopbackUdp {

    static final InetSocketAddress IPV4_ANY_PORT = new InetSocketAddress("127.0.0.1", 0);
    static final InetSocketAddress IPV6_ANY_PORT = new InetSocketAddress("::1", 0);
    static final int BUFFER_BYTES = 1 << 20;

    private static final LinuxUdpSocketProvider PROVIDER = new LinuxUdpSocketProvider();

    private LoopbackUdp() {
    }

    /** Skips the calling test where the Linux provider cannot work. */
    static void assumeAvailable() {
        assumeTrue(PROVIDER.isAvailable(), PROVIDER.unavailableReason());
    }

    /** Skips the calling test unless loopback has IPv6. */
    static void assumeIpv6() throws IOException {
        NetworkInterface loopback = NetworkInterface.getByInetAddress(InetAddress.getByName("::1"));
        assumeTrue(loopback != null, "loopback has no IPv6 address ::1");
    }

    static LinuxUdpSocket bind(InetSocketAddress listen) throws IOException {
        return PROVIDER.bind(listen, BUFFER_BYTES);
    }

    /** The address to send to for a socket bound to {@code socket}'s address (wildcards become loopback). */
    static InetSocketAddress target(LinuxUdpSocket socket, String loopbackHost) throws IOException {
        return new InetSocketAddress(loopbackHost, socket.localAddress().getPort());
    }

    /** {@code length} bytes whose values depend on {@code seed} and the position. */
    static byte[] pattern(int seed, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (seed * 31 + i * 7);
        }
        return bytes;
    }

    /** A heap or a direct buffer. */
    static ByteBuffer allocate(boolean direct, int capacity) {
        return direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }

    /** The bytes from {@code buffer}'s position to its limit. */
    static byte[] remainingBytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
