package io.vpncloud.core;

import io.vpncloud.api.PeerAddress;
import io.vpncloud.api.TunDevice;
import io.vpncloud.api.UdpSocket;
import io.vpncloud.core.wire.MalformedMessageException;
import io.vpncloud.core.wire.MessageType;
import io.vpncloud.core.wire.NodeInfo;
import io.vpncloud.core.wire.RotationMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.security.GeneralSecurityException;

/**
 * The network-to-device path, on its own thread: receive a datagram, decrypt it with the sender's session, and
 * deliver DATA to the device; control messages go to the {@link ControlPlane}. Malformed, unauthenticated or
 * unexpected datagrams are counted as invalid and dropped; nothing a peer sends stops this loop.
 *
 * <p>A socket with receive offload hands over several datagrams of one sender back to back; each is handled on its
 * own. Packets go to the device one by one, and the device may keep them back to merge consecutive TCP packets
 * into one large segment (receive offload): so before waiting for the network this loop asks the socket without
 * waiting first, and when nothing is there it {@linkplain TunDevice#flush() flushes} the device.
 *
 * <p>The buffers live on the heap for the same reason as in {@link SendPath}: the JDK decrypts arrays in place but
 * copies direct buffers through arrays it allocates per call.
 */
final class ReceivePath implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ReceivePath.class);
    private static final int MAX_DATAGRAM = 65536;

    private final UdpSocket socket;
    private final TunDevice device;
    private final ControlPlane control;
    private final TrafficCounters counters;
    private final ByteBuffer in = ByteBuffer.allocate(MAX_DATAGRAM);
    private final ByteBuffer out = ByteBuffer.allocate(MAX_DATAGRAM);
    /** The sender of the previous datagram, and its normalised address; see {@link #peerAddress}. */
    private InetSocketAddress lastSender;
    private PeerAddress lastSenderAddress;
    /** Whether a packet went to the device since its last flush. */
    private boolean deviceUnflushed;
    private volatile boolean running = true;

    ReceivePath(UdpSocket socket, TunDevice device, ControlPlane control, TrafficCounters counters) {
        this.socket = socket;
        this.device = device;
        this.control = control;
        this.counters = counters;
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        while (running) {
            try {
                receiveAndHandle();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!running) {
                    return;
                }
                LOG.warn("receiving or writing to device {} failed: {}", device.name(), e.toString());
            }
        }
    }

    /**
     * Receives what the socket has (without waiting while the device holds unflushed packets) and handles each
     * datagram in it.
     */
    private void receiveAndHandle() throws IOException {
        in.clear();
        InetSocketAddress from = socket.receive(in, !deviceUnflushed);
        if (from == null) {
            deviceUnflushed = false;
            device.flush();
            return;
        }
        in.flip();
        PeerAddress sender = peerAddress(from);
        int segmentSize = socket.receivedSegmentSize();
        int end = in.limit();
        if (segmentSize <= 0 || segmentSize >= end) {
            handleSafely(sender, in);
            return;
        }
        for (int start = 0; start < end; start += segmentSize) {
            in.limit(Math.min(end, start + segmentSize)).position(start);
            handleSafely(sender, in);
        }
    }

    /** Handles one datagram; a handler that breaks costs that datagram, not the loop. */
    private void handleSafely(PeerAddress from, ByteBuffer datagram) throws IOException {
        try {
            handle(from, datagram);
        } catch (RuntimeException e) {
            counters.invalid.increment();
            LOG.warn("dropped a datagram from {} that broke its handler", from, e);
        }
    }

    /**
     * The normalised address of a datagram's sender. The JDK's DatagramChannel hands out the same
     * InetSocketAddress object for as long as datagrams keep coming from one sender, so remembering the last
     * conversion saves a PeerAddress per datagram on a busy link; a different object is simply converted again.
     */
    private PeerAddress peerAddress(InetSocketAddress sender) {
        if (sender != lastSender) {
            lastSenderAddress = PeerAddress.of(sender);
            lastSender = sender;
        }
        return lastSenderAddress;
    }

    private void handle(PeerAddress from, ByteBuffer datagram) throws IOException {
        if (!datagram.hasRemaining()) {
            counters.invalid.increment();
            return;
        }
        Peer peer = control.peer(from);
        boolean initMarker = (datagram.get(datagram.position()) & 0xFF) == MessageType.INIT_MARKER;
        // In a plaintext session the reference's CLOSE is a lone 0xFF, which looks like an init message.
        boolean plaintextClose = peer != null && peer.plaintext && datagram.remaining() == 1;
        if (initMarker && !plaintextClose) {
            control.handleInit(from, datagram);
            return;
        }
        if (peer == null) {
            counters.invalid.increment();
            return;
        }
        out.clear();
        try {
            peer.cipher.decrypt(datagram, out);
        } catch (GeneralSecurityException e) {
            counters.invalid.increment();
            return;
        }
        out.flip();
        peer.heard();
        if (!out.hasRemaining()) {
            counters.invalid.increment();
            return;
        }
        dispatch(peer, out.get() & 0xFF, out);
    }

    private void dispatch(Peer peer, int type, ByteBuffer body) throws IOException {
        try {
            switch (type) {
                case MessageType.DATA -> deliver(body);
                case MessageType.NODE_INFO -> control.onNodeInfo(peer, NodeInfo.decode(body));
                case MessageType.KEEPALIVE -> control.onKeepalive(peer);
                case MessageType.ROTATION -> control.onRotation(peer, RotationMessage.decode(body));
                case MessageType.CLOSE -> control.onClose(peer);
                default -> counters.invalid.increment();
            }
        } catch (MalformedMessageException e) {
            counters.invalid.increment();
            LOG.debug("malformed message of type {} from {}: {}", type, peer, e.reason());
        }
    }

    private void deliver(ByteBuffer packet) throws IOException {
        int length = packet.remaining();
        if (length == 0) {
            counters.invalid.increment();
            return;
        }
        device.write(packet);
        deviceUnflushed = true;
        counters.packetsIn.increment();
        counters.bytesIn.add(length);
    }
}
