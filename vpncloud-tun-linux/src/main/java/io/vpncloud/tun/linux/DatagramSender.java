package io.vpncloud.tun.linux;

import com.sun.jna.Native;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends datagrams with {@code sendmsg}, a run of equally sized ones in a single call with the
 * {@code UDP_SEGMENT} control message (UDP segmentation offload: the kernel cuts the buffer into datagrams).
 * When the kernel refuses segmentation (it lacks it, or the device cannot checksum segments), this falls back to
 * one call per datagram for good; when a route refuses it (segments above its MTU), for that send only. Thread-safe: all per-call memory is per thread.
 *
 * <p>An ICMP error for an earlier datagram makes the next {@code sendmsg} fail with its errno without sending; the
 * socket's error queue is then drained into the {@link SendErrorReader}'s queue and the send is tried again, so
 * that one peer's dead port never costs a datagram to another.
 */
final class DatagramSender {

    /** The kernel's limit for one segmented send ({@code UDP_MAX_SEGMENTS} on older kernels). */
    static final int MAX_SEGMENTS = 64;
    /** The contract's limit for the bytes of one segmented send. */
    static final int MAX_SEGMENTED_BYTES = 65_000;

    /** Retries of one send after errors that may have been reports of earlier datagrams. */
    private static final int MAX_REPORTED_ERROR_RETRIES = 4;

    private static final Logger LOG = LoggerFactory.getLogger(DatagramSender.class);

    private final SocketDescriptor descriptor;
    private final SendErrorReader sendErrors;
    private final int family;
    private volatile boolean segmentation;
    /** Whether a segmented send ever succeeded: later refusals then concern one route, not the kernel. */
    private volatile boolean segmentationConfirmed;

    /** Told when a send took reports off the error queue, outside the descriptor's guard (it sends itself). */
    private final Runnable reportsTaken;

    DatagramSender(SocketDescriptor descriptor, SendErrorReader sendErrors, int family, boolean segmentation,
                   Runnable reportsTaken) {
        this.descriptor = descriptor;
        this.sendErrors = sendErrors;
        this.reportsTaken = reportsTaken;
        this.family = family;
        this.segmentation = segmentation;
    }

    /** {@link #MAX_SEGMENTS} while segmentation offload works, else 1. */
    int maxSegments() {
        return segmentation ? MAX_SEGMENTS : 1;
    }

    /** Sends {@code src} (position to limit) as one datagram and advances the position. */
    void send(ByteBuffer src, InetSocketAddress to) throws IOException {
        SendScratch scratch = SendScratch.current();
        scratch.setDestination(to, family);
        scratch.header.setControlLength(0);
        sendRange(scratch, scratch.addressOf(src), src.remaining(), to);
        src.position(src.limit());
    }

    /** Sends {@code src} as datagrams of {@code segmentSize} bytes (the last may be shorter). */
    void sendSegments(ByteBuffer src, int segmentSize, InetSocketAddress to) throws IOException {
        int length = src.remaining();
        checkSegmentLimits(length, segmentSize);
        if (length == 0) {
            return;
        }
        if (segmentSize >= length) {
            send(src, to);
            return;
        }
        SendScratch scratch = SendScratch.current();
        scratch.setDestination(to, family);
        long address = scratch.addressOf(src);
        if (!segmentation || !sendSegmented(scratch, address, length, segmentSize, to)) {
            scratch.header.setControlLength(0);
            for (int offset = 0; offset < length; offset += segmentSize) {
                sendRange(scratch, address + offset, Math.min(segmentSize, length - offset), to);
            }
        }
        src.position(src.limit());
    }

    /** Sends with one call; returns false when the kernel refused segmentation, so datagrams must go singly. */
    private boolean sendSegmented(SendScratch scratch, long address, int length, int segmentSize,
            InetSocketAddress to) throws IOException {
        scratch.header.setShortControlMessage(SocketLibC.SOL_UDP, SocketLibC.UDP_SEGMENT, (short) segmentSize);
        scratch.header.setBuffer(address, length);
        int errno = sendMessage(scratch);
        if (errno == 0) {
            if (!segmentationConfirmed) {
                segmentationConfirmed = true;
            }
            return true;
        }
        if (errno == SocketLibC.EMSGSIZE || (errno == LibC.EINVAL && segmentationConfirmed)) {
            // Segments larger than this route's MTU: the route's problem; single datagrams may be fragmented.
            LOG.debug("UDP segmentation to {} refused ({}); sending {} bytes datagram by datagram",
                    Sockaddr.format(to), TunDeviceException.describe(errno), length);
        } else if (errno == LibC.EINVAL || errno == LibC.EIO || errno == SocketLibC.ENOPROTOOPT) {
            disableSegmentation(errno);
        } else {
            throw failure(errno, length, to);
        }
        return false;
    }

    private void disableSegmentation(int errno) {
        if (segmentation) {
            segmentation = false;
            LOG.info("UDP segmentation offload does not work here ({}); sending one datagram per system call",
                    TunDeviceException.describe(errno));
        }
    }

    private void sendRange(SendScratch scratch, long address, int length, InetSocketAddress to)
            throws IOException {
        scratch.header.setBuffer(address, length);
        int errno = sendMessage(scratch);
        if (errno != 0) {
            throw failure(errno, length, to);
        }
    }

    /**
     * One {@code sendmsg} with the prepared header, retried when interrupted or when the error of an earlier
     * datagram got in its way; returns 0 or the errno.
     */
    private int sendMessage(SendScratch scratch) throws IOException {
        boolean tookReports = false;
        long stamp = descriptor.enter();
        try {
            int retries = 0;
            while (true) {
                if (SocketLibC.sendmsg(descriptor.fd(), scratch.header.address(), 0) >= 0) {
                    return 0;
                }
                int errno = Native.getLastError();
                if (descriptor.isClosed()) {
                    throw new AsynchronousCloseException();
                }
                if (errno == LibC.EINTR) {
                    continue;
                }
                if (retries < MAX_REPORTED_ERROR_RETRIES) {
                    if (sendErrors.drain(descriptor.fd()) > 0) {
                        tookReports = true;
                        retries++;
                        continue;
                    }
                    if (mayBeReport(errno, retries)) {
                        retries++;
                        continue;
                    }
                }
                return errno;
            }
        } finally {
            descriptor.leave(stamp);
            if (tookReports) {
                reportsTaken.run();
            }
        }
    }

    /**
     * Whether a send that failed with {@code errno}, with nothing in the error queue, should be tried again: the
     * first time, when the errno is one that ICMP reports give, since another thread may have drained them first.
     * {@code EMSGSIZE} without a report is this datagram's own: the segmented send handles it.
     */
    private static boolean mayBeReport(int errno, int retries) {
        return retries == 0 && errno != SocketLibC.EMSGSIZE && SendErrorReader.isReportedError(errno);
    }

    private static void checkSegmentLimits(int length, int segmentSize) {
        if (segmentSize <= 0) {
            throw new IllegalArgumentException("segmentSize must be positive: " + segmentSize);
        }
        if (length > MAX_SEGMENTED_BYTES) {
            throw new IllegalArgumentException(length + " bytes in one segmented send; the most is "
                    + MAX_SEGMENTED_BYTES);
        }
        long segments = (length + (long) segmentSize - 1) / segmentSize;
        if (segments > MAX_SEGMENTS) {
            throw new IllegalArgumentException(segments + " datagrams in one segmented send; the most is "
                    + MAX_SEGMENTS);
        }
    }

    private static IOException failure(int errno, int length, InetSocketAddress to) {
        return new IOException("sending " + length + " bytes to UDP " + Sockaddr.format(to) + " failed: "
                + TunDeviceException.describe(errno));
    }
}
