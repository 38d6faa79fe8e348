package io.vpncloud.core;

import io.vpncloud.api.UdpSocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A socket that hands the methods every socket has to a real one, for test sockets that watch or change some of
 * them. The interface's default methods (segments, send errors) are not forwarded: a test socket that offers those
 * says so itself.
 */
class ForwardingUdpSocket implements UdpSocket {
    final UdpSocket socket;

    ForwardingUdpSocket(UdpSocket socket) {
        this.socket = socket;
    }

    @Override
    public InetSocketAddress localAddress() throws IOException {
        return socket.localAddress();
    }

    @Override
    public void send(ByteBuffer src, InetSocketAddress to) throws IOException {
        socket.send(src, to);
    }

    @Override
    public InetSocketAddress receive(ByteBuffer dst, boolean wait) throws IOException {
        return socket.receive(dst, wait);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
