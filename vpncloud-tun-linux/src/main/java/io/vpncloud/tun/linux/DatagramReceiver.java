package io.vpncloud.tun.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives datagrams with {@code recvmsg}; with {@code UDP_GRO} on, the kernel hands several datagrams of one
 * sender back to back in one call and says their size in a control message.
 *
 * <p>An ICMP error for an earlier send ends a {@code recvmsg} with its errno; then the socket's error queue is
 * drained into the {@link SendErrorReader}'s queue and the call returns null, so that the caller can look at it.
 *
 * <p>Such a batch can be up to 64 KiB. A direct buffer with that much room receives in place; anything else
 * receives into this receiver's own native buffer, and then as many whole datagrams as fit are handed out per
 * call, the rest on the following calls. A datagram that does not fit at all is dropped and counted (see
 * {@link #truncatedDatagrams()}), never handed out cut. For one receiving thread at a time.
 */
final class DatagramReceiver {

    /** The largest batch the kernel hands out: a whole 64 KiB GRO packet. */
    static final int BATCH_CAPACITY = 65536;

    private static final Logger LOG = LoggerFactory.getLogger(DatagramReceiver.class);

    /** What {@link #receiveMessage} returns when nothing is queued and the caller does not wait. */
    private static final int NOTHING = -1;
    /** What {@link #receiveMessage} returns when an ICMP error for an earlier send ended the call. */
    private static final int SEND_ERROR = -2;

    private final SocketDescriptor descriptor;
    private final SendErrorReader sendErrors;
    private final MessageHeader header = new MessageHeader();
    private final Memory batch = new Memory(BATCH_CAPACITY);
    private final long batchAddress = Pointer.nativeValue(batch);
    private final ByteBuffer batchView = batch.getByteBuffer(0, BATCH_CAPACITY);
    private final DirectBufferAddress directAddress = new DirectBufferAddress();
    private final LastSender lastSender = new LastSender();
    private final PendingBatch pending = new PendingBatch();
    private int receivedSegmentSize;
    private long truncatedDatagrams;

    DatagramReceiver(SocketDescriptor descriptor, SendErrorReader sendErrors) {
        this.descriptor = descriptor;
        this.sendErrors = sendErrors;
    }

    /** See {@link io.vpncloud.api.UdpSocket#receive}. */
    InetSocketAddress receive(ByteBuffer dst, boolean wait) throws IOException {
        if (!pending.isEmpty()) {
            InetSocketAddress sender = handOutPending(dst);
            if (sender != null) {
                return sender;
            }
        }
        while (true) {
            boolean inPlace = dst.isDirect() && dst.remaining() >= BATCH_CAPACITY;
            long address = inPlace ? directAddress.of(dst) + dst.position() : batchAddress;
            int length = receiveMessage(address, capacityOf(inPlace, dst), wait);
            if (length == NOTHING || length == SEND_ERROR) {
                return null;
            }
            int segmentSize = header.intControlMessage(SocketLibC.SOL_UDP, SocketLibC.UDP_GRO, 0);
            if ((header.flags() & SocketLibC.MSG_TRUNC) != 0) {
                dropTruncated(PendingBatch.datagramsIn(length, segmentSize), capacityOf(inPlace, dst));
                continue;
            }
            InetSocketAddress sender = lastSender.decode(header.memory(), header.nameOffset(), header.nameLength());
            if (inPlace) {
                dst.position(dst.position() + length);
                receivedSegmentSize = segmentSize > 0 && length > segmentSize ? segmentSize : 0;
                return sender;
            }
            pending.set(length, segmentSize, sender);
            InetSocketAddress handedOut = handOutPending(dst);
            if (handedOut != null) {
                return handedOut;
            }
        }
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
     * One {@code recvmsg} into {@code capacity} bytes at {@code address}, retried when interrupted.
     *
     * @return the received length; {@link #NOTHING} when not waiting and nothing is queued; {@link #SEND_ERROR}
     *         when the error of an earlier send ended the call (its report is queued)
     */
    private int receiveMessage(long address, int capacity, boolean wait) throws IOException {
        int flags = wait ? 0 : SocketLibC.MSG_DONTWAIT;
        long stamp = descriptor.enter();
        try {
            while (true) {
                header.setBuffer(address, capacity);
                header.setNameLength(MessageHeader.NAME_CAPACITY);
                header.setControlLength(header.controlCapacity());
                long length = SocketLibC.recvmsg(descriptor.fd(), header.address(), flags);
                int errno = length < 0 ? Native.getLastError() : 0;
                if (descriptor.isClosed()) {
                    // Closing shuts the socket down, which ends a blocked recvmsg with 0 bytes.
                    throw new AsynchronousCloseException();
                }
                if (length >= 0) {
                    return (int) length;
                }
                if (errno == LibC.EAGAIN && !wait) {
                    return NOTHING;
                }
                if (SendErrorReader.isReportedError(errno)) {
                    sendErrors.drain(descriptor.fd());
                    return SEND_ERROR;
                }
                if (errno != LibC.EINTR) {
                    throw new IOException("receiving a UDP datagram failed: " + TunDeviceException.describe(errno));
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
        dst.put(dst.position(), batchView, pending.offset(), length);
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

    private static int capacityOf(boolean inPlace, ByteBuffer dst) {
        return inPlace ? dst.remaining() : BATCH_CAPACITY;
    }
}
