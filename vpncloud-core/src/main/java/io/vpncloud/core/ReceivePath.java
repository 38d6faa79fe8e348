package io.vpncloud.core;

import io.vpncloud.api.PeerAddress;
import io.vpncloud.api.SendError;
import io.vpncloud.api.TunDevice;
import io.vpncloud.api.UdpSocket;
import io.vpncloud.core.wire.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.security.GeneralSecurityException;

/**
 * The network-to-device path, on its own thread: receive a datagram, decrypt it with the sender's session, and
 * deliver DATA to the device; control messages are handed over to the control thread ({@link ControlLoop}) through
 * its bounded queues, which never make this thread wait: init messages into a queue with a fair share per sender,
 * session messages of peers into another. Malformed, unauthenticated or unexpected datagrams are counted as
 * invalid and dropped; nothing a peer sends stops or slows this loop.
 *
 * <p>A socket with receive offload hands over several datagrams of one sender back to back; each is handled on its
 * own. Packets go to the device one by one, and the device may keep them back to merge consecutive TCP packets
 * into one large segment (receive offload): so before waiting for the network while the device may hold packets
 * back, this loop asks the socket without waiting first, and when nothing is there it
 * {@linkplain TunDevice#flush() flushes} the device. After a quiet
 * spell it also sends on what the device answered at once to the first datagrams ({@link SendPath#sendReady}), as
 * a single-threaded loop would: a ping through an idle node is answered without waking the send thread. While the
 * send thread has left the device to this thread ({@link SendPath#leaveDeviceToReceiverWhenIdle}), this loop waits
 * for the socket and the device at once and sends what the device has, so an idle node is one loop, as the
 * reference is.
 *
 * <p>The buffers live on the heap for the same reason as in {@link SendPath}: the JDK decrypts arrays in place but
 * copies direct buffers through arrays it allocates per call.
 */
final class ReceivePath implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ReceivePath.class);
    private static final int MAX_DATAGRAM = 65536;
    /**
     * A wait for the network at least this long counts as a quiet spell, after which this thread sends the device's
     * immediate answers itself ({@link SendPath#sendReady}). Longer than the round trip of a busy link, so that a
     * TCP transfer, whose sender waits for acknowledgements, keeps its data on the send thread.
     */
    private static final long QUIET_SPELL_NANOS = 1_000_000;

    private final UdpSocket socket;
    private final TunDevice device;
    private final PeerIndex control;
    private final ControlLoop loop;
    private final TrafficCounters counters;
    private final Forwarding forwarding;
    private final ByteBuffer in = ByteBuffer.allocate(MAX_DATAGRAM);
    private final ByteBuffer out = ByteBuffer.allocate(MAX_DATAGRAM);
    /** The sender of the previous datagram, and its normalised address; see {@link #peerAddress}. */
    private InetSocketAddress lastSender;
    private PeerAddress lastSenderAddress;
    /** Whether the device may keep back a packet written since its last flush ({@link TunDevice#mayHoldWrites}). */
    private boolean deviceUnflushed;
    /** Whether a packet went to the device in this turn: only then can the device have answered. */
    private boolean wroteToDevice;
    private final EarlyDatagrams early = new EarlyDatagrams();
    /** Where the control thread sends an empty datagram to wake this thread when held datagrams can go on. */
    private final InetSocketAddress wakeAddress;
    private final PeerAddress wakeSender;
    private final ByteBuffer wakeDatagram = ByteBuffer.allocate(0);
    /** Sends on what the device answered at once to the packets written ({@link SendPath#sendReady}). */
    private final SendPath sendPath;
    /** The empty datagram with which the send thread wakes this thread ({@link #wakeForDevice}); its own. */
    private final ByteBuffer deviceWakeDatagram = ByteBuffer.allocate(0);
    private volatile boolean running = true;

    /**
     * @param control the control plane's lock-free peer index ({@link ControlPlane#peer})
     * @param loop      where control messages go
     * @param sendPath  whose {@link SendPath#sendReady} runs after the first datagrams that came after a quiet spell
     *                  went to the device, and while it leaves the device to this thread
     */
    ReceivePath(UdpSocket socket, TunDevice device, PeerIndex control, ControlLoop loop, TrafficCounters counters,
                Forwarding forwarding, InetSocketAddress wakeAddress, SendPath sendPath) {
        this.sendPath = sendPath;
        this.forwarding = forwarding;
        this.socket = socket;
        this.wakeAddress = wakeAddress;
        this.wakeSender = PeerAddress.of(wakeAddress);
        this.device = device;
        this.control = control;
        this.loop = loop;
        this.counters = counters;
    }

    void stop() {
        running = false;
    }

    /**
     * The control thread made a new peer: if this thread holds datagrams that came before that handshake finished,
     * wake it (it may be waiting for the socket) with an empty datagram to itself, so that they go on at once.
     */
    void peerAdded() {
        if (early.isHolding()) {
            wake();
        }
    }

    /** Once per tick from the control thread: held datagrams that waited too long are dropped (and counted) now. */
    void expireHeld() {
        if (early.isOverdue(System.nanoTime())) {
            wake();
        }
    }

    /**
     * The send thread left the device to this thread ({@link SendPath#leaveDeviceToReceiverWhenIdle}): wake it with an
     * empty datagram to itself, as it may be waiting for the network alone. Send thread only (it owns the buffer).
     */
    void wakeForDevice() {
        wakeWith(deviceWakeDatagram);
    }

    /** An empty datagram to our own socket; control thread only (it owns the buffer). */
    private void wake() {
        wakeWith(wakeDatagram);
    }

    /** Sends {@code emptyDatagram}, a buffer of the calling thread's own, to this thread's socket. */
    private void wakeWith(ByteBuffer emptyDatagram) {
        try {
            socket.send(emptyDatagram.clear(), wakeAddress);
        } catch (IOException e) {
            LOG.debug("waking the receive thread failed: {}", e.toString());
        }
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
     * datagram in it. One turn of {@link #run()}; {@link DataPathWarmUp} turns it too.
     */
    void receiveAndHandle() throws IOException {
        if (early.isHolding()) {
            counters.invalid.add(early.release(control::peer, this::handleSafely, System.nanoTime()));
        }
        in.clear();
        boolean mayWait = !deviceUnflushed;
        long waitStart = mayWait ? System.nanoTime() : 0;
        boolean waited = mayWait;
        if (mayWait && sendPath.deviceWithReceiver()) {
            // One loop for both directions while traffic is sparse: wait for the device too, and send what it has.
            int ready = socket.awaitDatagramOrPacket(device);
            if ((ready & UdpSocket.PACKET_READY) != 0) {
                sendAnswers();
            }
            if ((ready & UdpSocket.DATAGRAM_READY) == 0) {
                return;
            }
            mayWait = false; // a datagram (or an error report) is there
        }
        InetSocketAddress from = socket.receive(in, mayWait);
        boolean afterQuietSpell = waited && from != null && System.nanoTime() - waitStart >= QUIET_SPELL_NANOS;
        handOverSendErrors();
        if (from == null) {
            deviceUnflushed = false;
            device.flush();
            return;
        }
        in.flip();
        wroteToDevice = false;
        PeerAddress sender = peerAddress(from);
        int segmentSize = socket.receivedSegmentSize();
        int end = in.limit();
        if (segmentSize <= 0 || segmentSize >= end) {
            handleSafely(sender, in);
        } else {
            for (int start = 0; start < end; start += segmentSize) {
                in.limit(Math.min(end, start + segmentSize)).position(start);
                handleSafely(sender, in);
            }
        }
        if (afterQuietSpell && wroteToDevice) {
            // The first packets after a quiet spell: what the device answered at once (a ping reply) goes out on
            // this thread before the sending thread - likely on a sleeping CPU - could wake for it. Without
            // flushing first: TCP segments kept back for merging wait as usual, and so does an answer to them.
            // After control messages alone (a keepalive) there is nothing to ask the device for.
            sendAnswers();
        }
    }

    /**
     * Whether the next {@link #receiveAndHandle()} waits for the network; false while the device may hold packets
     * back, when it asks the socket without waiting and flushes the device if nothing is there.
     */
    boolean nextReceiveWaits() {
        return !deviceUnflushed;
    }

    /** Sends the device's immediate answers; a failure there costs those packets, not this thread. */
    private void sendAnswers() {
        try {
            sendPath.sendReady();
        } catch (RuntimeException e) {
            LOG.warn("sending on what device {} answered failed", device.name(), e);
        }
    }

    /**
     * Hands the socket's error reports (ICMP errors for datagrams sent earlier) to the control thread, which alone
     * can tell what they mean. A socket that reports them returns from a receive right after it queued one, so they
     * are taken after every receive, also one that returned nothing.
     */
    private void handOverSendErrors() {
        for (SendError error = socket.nextSendError(); error != null; error = socket.nextSendError()) {
            loop.offerSendError(error); // when the control thread is behind, it is dropped and counted there
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
            if (!from.equals(wakeSender)) { // not our own wake-up call
                counters.invalid.increment();
            }
            return;
        }
        Peer peer = control.peer(from);
        boolean initMarker = (datagram.get(datagram.position()) & 0xFF) == MessageType.INIT_MARKER;
        // In a plaintext session the reference's CLOSE is a lone 0xFF, which looks like an init message.
        boolean plaintextClose = peer != null && peer.plaintext && datagram.remaining() == 1;
        if (initMarker && !plaintextClose) {
            if (!loop.offerInit(from, datagram)) {
                counters.invalid.increment(); // a flood: the queue or this sender's share of it is full
            }
            return;
        }
        if (peer == null) {
            if (control.inHandshake(from)) {
                early.hold(from, datagram, null, System.nanoTime()); // it overtook its sender's last handshake message
            } else {
                counters.invalid.increment();
            }
            return;
        }
        out.clear();
        try {
            peer.cipher.decrypt(datagram, out);
        } catch (GeneralSecurityException e) {
            if (control.inHandshake(from)) {
                early.hold(from, datagram, peer, System.nanoTime()); // perhaps the restarted peer's new session
            } else {
                counters.invalid.increment();
            }
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

    /** DATA goes to the device here; KEEPALIVE only refreshes the peer (done); the rest goes to the control thread. */
    private void dispatch(Peer peer, int type, ByteBuffer body) throws IOException {
        switch (type) {
            case MessageType.DATA -> deliver(peer, body);
            case MessageType.KEEPALIVE -> { }
            case MessageType.NODE_INFO, MessageType.ROTATION, MessageType.CLOSE, MessageType.PROBE -> {
                if (!loop.offerMessage(peer, type, body)) {
                    LOG.debug("control thread behind: dropped a message of type {} from {}", type, peer);
                }
            }
            default -> counters.invalid.increment();
        }
    }

    /** Writes a peer's packet to the device; in the modes that learn, its source is learned first. */
    private void deliver(Peer peer, ByteBuffer packet) throws IOException {
        int length = packet.remaining();
        if (length == 0 || !forwarding.accept(packet, peer)) {
            counters.invalid.increment();
            return;
        }
        device.write(packet);
        // A packet that cannot be merged (a ping, say) went to the kernel at once: then the next receive may wait
        // right away, without first asking the socket whether more is there - one system call per packet less.
        deviceUnflushed = device.mayHoldWrites();
        wroteToDevice = true;
        counters.packetsIn.increment();
        counters.bytesIn.add(length);
    }
}
