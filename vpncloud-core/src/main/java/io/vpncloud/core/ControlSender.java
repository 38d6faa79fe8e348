package io.vpncloud.core;

import io.vpncloud.api.PeerAddress;
import io.vpncloud.core.net.UdpTransport;
import io.vpncloud.core.wire.MessageType;
import io.vpncloud.core.wire.NodeInfo;
import io.vpncloud.core.wire.RotationMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Sends the control plane's messages: init messages as they are, and NodeInfo, rotation and CLOSE messages
 * through the peer's session. A failed send is logged and forgotten, as for any datagram. Used under the control
 * plane's lock; the buffers are reused.
 */
final class ControlSender {
    private static final Logger LOG = LoggerFactory.getLogger(ControlSender.class);

    private final UdpTransport transport;
    private final ByteBuffer raw = ByteBuffer.allocate(4096);

    ControlSender(UdpTransport transport) {
        this.transport = transport;
    }

    void init(byte[] datagram, PeerAddress to) {
        send(raw.clear().put(datagram).flip(), to.toSocketAddress());
    }

    void nodeInfo(Peer peer, NodeInfo info) {
        ByteBuffer plain = begin(peer, MessageType.NODE_INFO);
        info.encode(plain);
        session(peer, plain.flip());
    }

    void rotation(Peer peer, RotationMessage message) {
        ByteBuffer plain = begin(peer, MessageType.ROTATION);
        message.encode(plain);
        session(peer, plain.flip());
    }

    void close(Peer peer) {
        session(peer, begin(peer, MessageType.CLOSE).flip());
    }

    private static ByteBuffer begin(Peer peer, int type) {
        return peer.controlPlain.clear().put((byte) type);
    }

    private void session(Peer peer, ByteBuffer plain) {
        ByteBuffer out = peer.controlOut.clear();
        peer.encrypt(plain, out);
        send(out.flip(), peer.socketAddress);
    }

    private void send(ByteBuffer datagram, InetSocketAddress to) {
        try {
            transport.send(datagram, to);
        } catch (IOException e) {
            LOG.debug("sending to {} failed: {}", to, e.toString());
        }
    }
}
