package io.vpncloud.bench;

import io.vpncloud.api.UdpSocket;
import io.vpncloud.api.UdpSocketProvider;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.function.Predicate;

/**
 * Plain blocking IPv4 UDP sockets (a JDK {@link DatagramChannel}, no offloads) for nodes on loopback, written
 * against the public socket interface only, so that every build of the node under comparison gets the same
 * socket. A socket may be limited to the addresses it {@code talksTo}: datagrams to or from any other address are
 * dropped, which keeps a crowd of nodes that all know each other from meshing.
 */
final class LoopbackUdpSocketProvider implements UdpSocketProvider {
    private final Predicate<InetSocketAddress> talksTo;

    /** Sockets that talk to everyone. */
    LoopbackUdpSocketProvider() {
        this(address -> true);
    }

    LoopbackUdpSocketProvider(Predicate<InetSocketAddress> talksTo) {
        this.talksTo = talksTo;
    }

    @Override
    public String name() {
        return "loopback";
    }

    @Override
    public UdpSocket bind(InetSocketAddress listen, int bufferBytes) throws IOException {
        DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, bufferBytes);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, bufferBytes);
            channel.bind(listen);
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot listen on UDP " + listen + ": " + e.getMessage(), e);
        }
        return new Socket(channel);
    }

    private final class Socket implements UdpSocket {
        private final DatagramChannel channel;

        Socket(DatagramChannel channel) {
            this.channel = channel;
        }

        @Override
        public InetSocketAddress localAddress() throws IOException {
            return (InetSocketAddress) channel.getLocalAddress();
        }

        @Override
        public void send(ByteBuffer src, InetSocketAddress to) throws IOException {
            if (!talksTo.test(to)) {
                src.position(src.limit());
                return;
            }
            channel.send(src, to);
        }

        /** Blocking receive only; without waiting it reports nothing, which the interface allows. */
        @Override
        public InetSocketAddress receive(ByteBuffer dst, boolean wait) throws IOException {
            if (!wait) {
                return null;
            }
            int start = dst.position();
            while (true) {
                InetSocketAddress from = (InetSocketAddress) channel.receive(dst);
                if (talksTo.test(from)) {
                    return from;
                }
                dst.position(start);
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
