package io.vpncloud.core.net;

import io.vpncloud.api.UdpSocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * The portable {@link UdpSocket}: a blocking JDK {@link DatagramChannel}, one system call per datagram and no
 * segmentation offload. Bound to {@code [::]:port} (dual stack) when the listen address is a wildcard, as the
 * reference does, so IPv4 peers appear with their plain IPv4 addresses (the JDK unmaps IPv4-mapped addresses).
 *
 * <p>A blocking channel cannot tell whether a datagram waits without waiting for it, so {@code receive(dst,
 * false)} always answers null; callers then flush what they hold and wait. Switching the channel to non-blocking
 * mode instead would make {@link #send} drop datagrams whenever the socket buffer is full.
 */
public final class JdkUdpSocket implements UdpSocket {

    private final DatagramChannel channel;

    private JdkUdpSocket(DatagramChannel channel) {
        this.channel = channel;
    }

    /**
     * Opens and binds the socket.
     *
     * @param listen where to listen; an unresolved or wildcard address binds all interfaces
     */
    public static JdkUdpSocket bind(InetSocketAddress listen, int bufferBytes) throws IOException {
        DatagramChannel ch;
        if (listen.getAddress() == null || listen.getAddress().isAnyLocalAddress()) {
            ch = openDualStackOrIpv4();
            listen = new InetSocketAddress(listen.getPort());
        } else {
            ch = DatagramChannel.open(listen.getAddress() instanceof java.net.Inet6Address
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        }
        try {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, bufferBytes);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, bufferBytes);
            ch.bind(listen);
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot listen on UDP " + listen + ": " + e.getMessage(), e);
        }
        ch.configureBlocking(true);
        return new JdkUdpSocket(ch);
    }

    private static DatagramChannel openDualStackOrIpv4() throws IOException {
        try {
            return DatagramChannel.open(StandardProtocolFamily.INET6);
        } catch (UnsupportedOperationException | IOException e) {
            return DatagramChannel.open(StandardProtocolFamily.INET);
        }
    }

    @Override
    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    /** Receives one datagram when {@code wait} is true; answers null at once otherwise (see the class comment). */
    @Override
    public InetSocketAddress receive(ByteBuffer dst, boolean wait) throws IOException {
        return wait ? (InetSocketAddress) channel.receive(dst) : null;
    }

    @Override
    public void send(ByteBuffer src, InetSocketAddress to) throws IOException {
        channel.send(src, to);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "JdkUdpSocket[" + channel + "]";
    }
}
