package io.vpncloud.tun.linux;

import io.vpncloud.api.SendError;
import io.vpncloud.api.TunDevice;
import io.vpncloud.api.UdpSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Linux UDP socket through JNA with segmentation offload both ways: {@link #sendSegments} hands up to
 * {@value DatagramSender#MAX_SEGMENTS} equally sized datagrams to the kernel in one {@code sendmsg}
 * ({@code UDP_SEGMENT}), and {@link #receive} gets several datagrams of one sender in one {@code recvmsg}
 * ({@code UDP_GRO}). On the wire they are ordinary separate datagrams. Where the kernel lacks either offload,
 * the socket works one datagram per call.
 *
 * <p>The socket asks the kernel for the ICMP errors that come back for its datagrams ({@code IP_RECVERR},
 * {@code IPV6_RECVERR}) and hands them out through {@link #nextSendError()}; they never fail a send or receive.
 *
 * <p>Open one with {@link LinuxUdpSocketProvider#bind}. Any thread may send; one thread receives. Nothing is
 * allocated per datagram: native structures are reused per sending thread and by the receiver, and a sender's
 * address object is reused while consecutive datagrams come from it.
 */
public final class LinuxUdpSocket implements UdpSocket {
    private static final Logger LOG = LoggerFactory.getLogger(LinuxUdpSocket.class);

    private final SocketDescriptor descriptor;
    private final InetSocketAddress localAddress;
    private final boolean receiveOffload;
    private final DatagramSender sender;
    private final DatagramReceiver receiver;
    private final SendErrorQueue sendErrors = new SendErrorQueue();
    private final SendErrorReader sendErrorReader = new SendErrorReader(sendErrors);
    private final ReceiverWake wake;
    private final LongAdder wakeUps = new LongAdder();

    LinuxUdpSocket(SocketDescriptor descriptor, int family, InetSocketAddress localAddress, boolean sendOffload,
            boolean receiveOffload) {
        this.descriptor = descriptor;
        this.localAddress = localAddress;
        this.receiveOffload = receiveOffload;
        this.wake = new ReceiverWake(localAddress);
        this.sender = new DatagramSender(descriptor, sendErrorReader, family, sendOffload, this::wakeReceiver);
        this.receiver = new DatagramReceiver(descriptor, sendErrorReader, wake);
    }

    @Override
    public InetSocketAddress localAddress() throws ClosedChannelException {
        if (descriptor.isClosed()) {
            throw new ClosedChannelException();
        }
        return localAddress;
    }

    @Override
    public void send(ByteBuffer src, InetSocketAddress to) throws IOException {
        sender.send(src, to);
    }

    /** {@value DatagramSender#MAX_SEGMENTS} while segmentation offload works, 1 once it turned out not to. */
    @Override
    public int maxSegments() {
        return sender.maxSegments();
    }

    @Override
    public void sendSegments(ByteBuffer src, int segmentSize, InetSocketAddress to) throws IOException {
        sender.sendSegments(src, segmentSize, to);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Datagrams that do not fit into {@code dst} are dropped and counted in {@link #truncatedDatagrams()}.
     * With receive offload a batch may be up to 64 KiB; a smaller {@code dst} gets it over several calls.
     *
     * @throws java.nio.channels.AsynchronousCloseException when the socket is closed while waiting
     */
    @Override
    public InetSocketAddress receive(ByteBuffer dst, boolean wait) throws IOException {
        return receiver.receive(dst, wait);
    }

    /** {@inheritDoc} True for the Linux TUN and TAP devices of this module. */
    @Override
    public boolean canAwaitWith(TunDevice device) {
        return device instanceof LinuxTunDevice;
    }

    /**
     * {@inheritDoc}
     *
     * <p>One {@code poll} of both descriptors; it returns at once when datagrams of the last {@code recvmmsg} are
     * still to be handed out, or segments of a packet read from the device are.
     */
    @Override
    public int awaitDatagramOrPacket(TunDevice device) throws IOException {
        if (!(device instanceof LinuxTunDevice tun)) {
            throw new UnsupportedOperationException(getClass().getName() + " cannot wait together with " + device);
        }
        if (receiver.hasReceived()) {
            return DATAGRAM_READY;
        }
        long stamp = descriptor.enter();
        try {
            int ready = tun.awaitReadableWith(descriptor.fd());
            if (descriptor.isClosed()) {
                throw new AsynchronousCloseException(); // closing shut the socket down, which ended the wait
            }
            return ((ready & TunFile.OTHER_READY) != 0 ? DATAGRAM_READY : 0)
                    | ((ready & TunFile.SELF_READY) != 0 ? PACKET_READY : 0);
        } finally {
            descriptor.leave(stamp);
        }
    }

    @Override
    public int receivedSegmentSize() {
        return receiver.receivedSegmentSize();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Reports come from the socket's error queue, read whenever the kernel ends a receive or send with the
     * error of an earlier datagram; the newest {@value SendErrorQueue#CAPACITY} are kept.
     */
    @Override
    public SendError nextSendError() {
        return sendErrors.poll();
    }

    /** A send took error reports off the socket: the receiver may be blocked, see {@link ReceiverWake}. */
    private void wakeReceiver() {
        if (!wake.claim()) {
            return;
        }
        try {
            sender.send(ByteBuffer.allocate(0), wake.target());
            wakeUps.increment();
        } catch (IOException e) {
            wake.failed();
            LOG.debug("waking the receiver after error reports failed: {}", e.toString());
        }
    }

    /** Wake-ups sent to the receiver after sends took error reports off the socket. */
    long receiverWakeUps() {
        return wakeUps.sum();
    }

    /**
     * Entries of the kernel's error queue that were not readable ICMP error reports, dropped.
     *
     * @return the number of entries dropped
     */
    public long unreadableSendErrors() {
        return sendErrorReader.unreadable();
    }

    /**
     * Send error reports that gave way to newer ones before {@link #nextSendError()} took them.
     *
     * @return the number of reports lost
     */
    public long overwrittenSendErrors() {
        return sendErrors.overwritten();
    }

    /**
     * Whether the kernel hands several datagrams of one sender to one {@link #receive} ({@code UDP_GRO}).
     *
     * @return true when {@code UDP_GRO} is on
     */
    public boolean hasReceiveOffload() {
        return receiveOffload;
    }

    /**
     * Received datagrams dropped because they did not fit the receive buffer; read by the receiving thread.
     *
     * @return the number of datagrams dropped
     */
    public long truncatedDatagrams() {
        return receiver.truncatedDatagrams();
    }

    /** Wakes a blocked receiver (which throws) and closes the socket; idempotent. */
    @Override
    public void close() {
        descriptor.close();
    }

    @Override
    public String toString() {
        return "LinuxUdpSocket[" + Sockaddr.format(localAddress) + (maxSegments() > 1 ? ", send offload" : "")
                + (receiveOffload ? ", receive offload" : "") + "]";
    }
}
