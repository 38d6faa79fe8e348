package io.vpncloud.core.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * The node's one UDP socket. Bound to {@code [::]:port} (dual stack) when the listen address is a wildcard, as
 * the reference does, so IPv4 peers appear with their plain IPv4 addresses (the JDK unmaps IPv4-mapped
 * addresses). Sending is thread-safe; one thread receives.
 */
public final class UdpTransport implements AutoCloseable {

    private final DatagramChannel channel;

    private UdpTransport(DatagramChannel channel) {
        this.channel = channel;
    }

    /**
     * Opens and binds the socket.
     *
     * @param listen where to listen; an unresolved or wildcard address binds all interfaces
     */
    public static UdpTransport bind(InetSocketAddress listen, int bufferBytes) throws IOException {
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
        return new UdpTransport(ch);
    }

    private static DatagramChannel openDualStackOrIpv4() throws IOException {
        try {
            return DatagramChannel.open(StandardProtocolFamily.INET6);
        } catch (UnsupportedOperationException | IOException e) {
            return DatagramChannel.open(StandardProtocolFamily.INET);
        }
    }

    /** The bound local address (with the port the system chose when 0 was asked for). */
    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    /** Receives one datagram into {@code dst}; blocks. Returns the sender. */
    public InetSocketAddress receive(ByteBuffer dst) throws IOException {
        return (InetSocketAddress) channel.receive(dst);
    }

    /** Sends {@code src} (position to limit) as one datagram. Thread-safe. */
    public void send(ByteBuffer src, SocketAddress to) throws IOException {
        channel.send(src, to);
    }

    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
