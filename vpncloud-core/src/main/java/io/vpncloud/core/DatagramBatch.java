package io.vpncloud.core;

import io.vpncloud.api.UdpSocket;
import io.vpncloud.core.crypto.SessionCipher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;

/**
 * Encrypted DATA datagrams for one peer, placed back to back in one buffer, all of one size except possibly the
 * last: the shape {@link UdpSocket#sendSegments} sends with a single system call. The packets of one TCP segment
 * that the device split (segmentation offload) all have the same size, so they fill a batch; anything else
 * (another peer, a larger datagram, a full batch) sends the batch first.
 *
 * <p>Used by the send path's thread only. The buffer is allocated once.
 */
final class DatagramBatch {
    private static final Logger LOG = LoggerFactory.getLogger(DatagramBatch.class);
    /** What {@link UdpSocket#sendSegments} takes at most in one call. */
    static final int MAX_BATCH_BYTES = 65_000;
    private static final int MAX_DATAGRAM = 1 + 65_536 + SessionCipher.OVERHEAD;

    private final UdpSocket socket;
    private final TrafficCounters counters;
    private final int maxSegments;
    private final ByteBuffer buffer = ByteBuffer.allocate(Math.max(MAX_BATCH_BYTES, MAX_DATAGRAM));
    private Peer peer;
    private int segmentSize;
    private int segments;
    private long packetBytes;
    /** The last datagram was shorter than the others; the socket's segmentation allows no more after it. */
    private boolean closed;

    DatagramBatch(UdpSocket socket, TrafficCounters counters) {
        this.socket = socket;
        this.counters = counters;
        this.maxSegments = Math.max(1, socket.maxSegments());
    }

    /** Whether a datagram of {@code size} bytes for {@code next} can join the batch; an empty batch takes any. */
    boolean accepts(Peer next, int size) {
        if (segments == 0) {
            return true;
        }
        return next == peer && !closed && segments < maxSegments && size <= segmentSize
                && buffer.position() + size <= MAX_BATCH_BYTES;
    }

    /**
     * Encrypts the message in {@code plain} (position to limit) for {@code next} behind the datagrams already held.
     * Call only when {@link #accepts} said yes for this datagram's size.
     *
     * @param packetLength the IP packet's length, for the traffic counters
     */
    void add(Peer next, ByteBuffer plain, int packetLength) {
        int start = buffer.position();
        next.cipher.encrypt(plain, buffer);
        int size = buffer.position() - start;
        if (segments == 0) {
            peer = next;
            segmentSize = size;
        } else if (size < segmentSize) {
            closed = true;
        }
        segments++;
        packetBytes += packetLength;
    }

    /** The number of datagrams held. */
    int size() {
        return segments;
    }

    /**
     * Sends the datagrams held, if any, and empties the batch. A failed send drops them (counted); UDP promises no
     * more.
     *
     * @throws ClosedChannelException when the socket is closed
     */
    void send() throws ClosedChannelException {
        if (segments == 0) {
            return;
        }
        buffer.flip();
        try {
            if (segments == 1) {
                socket.send(buffer, peer.socketAddress);
            } else {
                socket.sendSegments(buffer, segmentSize, peer.socketAddress);
            }
            counters.packetsOut.add(segments);
            counters.bytesOut.add(packetBytes);
        } catch (ClosedChannelException e) {
            throw e;
        } catch (IOException e) {
            counters.dropped.add(segments);
            LOG.debug("sending {} datagrams to {} failed: {}", segments, peer, e.toString());
        } finally {
            clear();
        }
    }

    private void clear() {
        buffer.clear();
        peer = null;
        segments = 0;
        packetBytes = 0;
        closed = false;
    }
}
