package io.vpncloud.tun.linux;

import com.sun.jna.Native;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives datagrams with {@code recvmmsg}: up to {@link MessageBatch#SLOTS} messages per system call, each a single
 * datagram or, with {@code UDP_GRO} on, several datagrams of one sender back to back whose size a control message
 * says. The messages are handed out one per {@link #receive} call, so the caller sees the same batches as from
 * {@code recvmsg}, but a stream of single datagrams (which is what a real network card delivers when the kernel
 * does not merge them) costs one system call per eight instead of one each.
 *
 * <p>An ICMP error for an earlier send ends a {@code recvmmsg} that has received nothing with its errno; then the
 * socket's error queue is drained into the {@link SendErrorReader}'s queue and the call returns null, so that the
 * caller can look at it. When a send met the error first, it wakes this receiver with an empty datagram to the
 * socket itself ({@link ReceiverWake}), which ends the call with null just the same.
 *
 * <p>A message can be up to 64 KiB; as many of its whole datagrams as fit the caller's buffer are handed out per
 * call, the rest on the following calls. A datagram that does not fit at all is dropped and counted (see
 * {@link #truncatedDatagrams()}), never handed out cut. For one receiving thread at a time.
 */
final class DatagramReceiver {

    /** The largest batch the kernel hands out in one message: a whole 64 KiB GRO packet. */
    static final int BATCH_CAPACITY = MessageBatch.SLOT_CAPACITY;

    private static final Logger LOG = LoggerFactory.getLogger(DatagramReceiver.class);

    /** {@code recvmmsg} flag: wait for the first message only, take the rest that are already queued. */
    private static final int MSG_WAITFORONE = 0x10000;

    private final SocketDescriptor descriptor;
    private final SendErrorReader sendErrors;
    private final MessageBatch messages = new MessageBatch();
    private final LastSender lastSender = new LastSender();
    private final PendingBatch pending = new PendingBatch();
    /** Messages the last {@code recvmmsg} returned, and the next one to hand out. */
    private int received;
    private int next;
    /** Where the pending message's slot starts in {@link MessageBatch#data()}. */
    private int pendingSlot;
    private int receivedSegmentSize;
    private long truncatedDatagrams;
    private final ReceiverWake wake;

    DatagramReceiver(SocketDescriptor descriptor, SendErrorReader sendErrors, ReceiverWake wake) {
        this.descriptor = descriptor;
        this.sendErrors = sendErrors;
        this.wake = wake;
    }

    /** See {@link io.vpncloud.api.UdpSocket#receive}. */
    InetSocketAddress receive(ByteBuffer dst, boolean wait) throws IOException {
        while (true) {
            if (!pending.isEmpty()) {
                InetSocketAddress sender = handOutPending(dst);
                if (sender != null) {
                    return sender;
                }
            }
            if (next < received) {
                InetSocketAddress emptyDatagramSender = takeMessage(next++);
                if (emptyDatagramSender != null) {
                    if (wake.isWake(0, emptyDatagramSender)) {
                        return null; // a sender took error reports off the socket: the caller looks at them now
                    }
                    receivedSegmentSize = 0;
                    return emptyDatagramSender;
                }
                continue;
            }
            received = receiveMessages(wait);
            next = 0;
            if (received <= 0) {
                received = 0;
                return null;
            }
        }
    }

    /**
     * Makes message {@code i} the pending batch, or drops it whole when the kernel had to cut it.
     *
     * @return the sender if the message is an empty datagram (a wake-up call), which is handed out as it is
     */
    private InetSocketAddress takeMessage(int i) throws IOException {
        int length = messages.length(i);
        int segmentSize = messages.intControlMessage(i, SocketLibC.SOL_UDP, SocketLibC.UDP_GRO, 0);
        if ((messages.flags(i) & SocketLibC.MSG_TRUNC) != 0) {
            dropTruncated(PendingBatch.datagramsIn(length, segmentSize), BATCH_CAPACITY);
            return null;
        }
        InetSocketAddress sender = lastSender.decode(messages.headers(), messages.nameOffset(i),
                messages.nameLength(i));
        if (length == 0) {
            return sender;
        }
        pendingSlot = MessageBatch.dataOffset(i);
        pending.set(length, segmentSize, sender);
        return null;
    }

    /** Whether the last {@code recvmmsg} left datagrams (or a wake-up call) that {@link #receive} hands out next. */
    boolean hasReceived() {
        return !pending.isEmpty() || next < received;
    }

    /** See {@link io.vpncloud.api.UdpSocket#receivedSegmentSize()}. */
    int receivedSegmentSize() {
        return receivedSegmentSize;
    }

    /** Datagrams dropped because they did not fit the buffer they were received into. */
    long truncatedDatagrams() {
        return truncatedDatagrams;
    }

    /**
     * One {@code recvmmsg}, retried when interrupted.
     *
     * @return the number of messages received; 0 when not waiting and nothing is queued, or when the error of an
     *         earlier send ended the call (its report is queued)
     */
    private int receiveMessages(boolean wait) throws IOException {
        int flags = wait ? MSG_WAITFORONE : SocketLibC.MSG_DONTWAIT;
        long stamp = descriptor.enter();
        try {
            while (true) {
                messages.prepare();
                int count = SocketLibC.recvmmsg(descriptor.fd(), messages.address(), MessageBatch.SLOTS, flags, 0);
                int errno = count < 0 ? Native.getLastError() : 0;
                if (descriptor.isClosed()) {
                    // Closing shuts the socket down, which ends a blocked recvmmsg with an empty message.
                    throw new AsynchronousCloseException();
                }
                if (count >= 0) {
                    return count;
                }
                if (errno == LibC.EAGAIN && !wait) {
                    return 0;
                }
                if (SendErrorReader.isReportedError(errno)) {
                    sendErrors.drain(descriptor.fd());
                    return 0;
                }
                if (errno != LibC.EINTR) {
                    throw new IOException("receiving UDP datagrams failed: " + TunDeviceException.describe(errno));
                }
            }
        } finally {
            descriptor.leave(stamp);
        }
    }

    /** Copies as many whole datagrams of the pending batch as fit; null when not even one does (then dropped). */
    private InetSocketAddress handOutPending(ByteBuffer dst) {
        int length = pending.fittingLength(dst.remaining());
        if (length == 0) {
            dropTruncated(pending.datagrams(), dst.remaining());
            pending.clear();
            return null;
        }
        dst.put(dst.position(), messages.data(), pendingSlot + pending.offset(), length);
        dst.position(dst.position() + length);
        receivedSegmentSize = pending.segmentSize() > 0 && length > pending.segmentSize() ? pending.segmentSize() : 0;
        return pending.take(length);
    }

    private void dropTruncated(int datagrams, int bufferBytes) {
        if (truncatedDatagrams == 0) {
            LOG.info("dropped {} received UDP datagram(s) larger than the {} bytes left in the receive buffer;"
                    + " later drops are only counted", datagrams, bufferBytes);
        }
        truncatedDatagrams += datagrams;
    }
}
