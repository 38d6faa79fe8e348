package io.vpncloud.core;

import io.vpncloud.api.PeerAddress;
import io.vpncloud.api.UdpSocket;
import io.vpncloud.core.crypto.SessionCipher;
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
 * through the peer's session, and counts them as control traffic. A failed send is logged and forgotten, as for
 * any datagram. Used by the control thread only; the buffers are reused.
 *
 * <p>The buffers are shared by all peers rather than kept per peer, which in a large mesh cost 4 KiB per peer;
 * they are sized for any datagram so that a NodeInfo with many claims still fits.
 */
final class ControlSender {
    private static final Logger LOG = LoggerFactory.getLogger(ControlSender.class);
    private static final int MAX_DATAGRAM = 65536;

    private final UdpSocket socket;
    private final TrafficCounters counters;
    private final ByteBuffer plain = ByteBuffer.allocate(MAX_DATAGRAM);
    private final ByteBuffer out = ByteBuffer.allocate(MAX_DATAGRAM + SessionCipher.OVERHEAD);

    ControlSender(UdpSocket socket, TrafficCounters counters) {
        this.socket = socket;
        this.counters = counters;
    }

    void init(byte[] datagram, PeerAddress to) {
        send(ByteBuffer.wrap(datagram), to.toSocketAddress());
    }

    void nodeInfo(Peer peer, NodeInfo info) {
        info.encode(begin(MessageType.NODE_INFO));
        session(peer);
    }

    void rotation(Peer peer, RotationMessage message) {
        message.encode(begin(MessageType.ROTATION));
        session(peer);
    }

    /** A KEEPALIVE: refreshes the peer's timeout for us like a NodeInfo, in 25 bytes. */
    void keepalive(Peer peer) {
        begin(MessageType.KEEPALIVE);
        session(peer);
    }

    /** A PROBE: asks a vpncloud-java peer for a KEEPALIVE at once. */
    void probe(Peer peer) {
        begin(MessageType.PROBE);
        session(peer);
    }

    void close(Peer peer) {
        begin(MessageType.CLOSE);
        session(peer);
    }

    /** Starts a session message of {@code type} in the plaintext buffer, for the body to follow. */
    private ByteBuffer begin(int type) {
        return plain.clear().put((byte) type);
    }

    /** Encrypts the message in the plaintext buffer for {@code peer} and sends it. */
    private void session(Peer peer) {
        out.clear();
        peer.encryptControl(plain.flip(), out);
        send(out.flip(), peer.socketAddress);
    }

    private void send(ByteBuffer datagram, InetSocketAddress to) {
        int bytes = datagram.remaining();
        try {
            socket.send(datagram, to);
            counters.controlSent(bytes);
        } catch (IOException e) {
            LOG.debug("sending to {} failed: {}", to, e.toString());
        }
    }
}
