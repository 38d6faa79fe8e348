package io.vpncloud.tun.linux;

import java.net.InetSocketAddress;

/**
 * The part of a received batch (datagrams of one sender back to back in a native buffer) not yet handed out,
 * because the caller's buffer had room for only some of its datagrams. Only whole datagrams leave it.
 */
final class PendingBatch {

    private int offset;
    private int end;
    private int segmentSize;
    private InetSocketAddress sender;

    /** A batch of {@code length} bytes from offset 0, datagrams of {@code segmentSize} (0: a single one). */
    void set(int length, int segmentSize, InetSocketAddress sender) {
        this.offset = 0;
        this.end = length;
        this.segmentSize = segmentSize;
        this.sender = sender;
    }

    void clear() {
        offset = end;
    }

    boolean isEmpty() {
        return offset >= end;
    }

    /** Where the next datagram starts. */
    int offset() {
        return offset;
    }

    int remaining() {
        return end - offset;
    }

    /** The size of each datagram but the last; 0 for a single datagram. */
    int segmentSize() {
        return segmentSize;
    }

    /** Datagrams left. */
    int datagrams() {
        return datagramsIn(remaining(), segmentSize);
    }

    /** The bytes of the longest run of whole datagrams that fits into {@code room} bytes; 0 when none fits. */
    int fittingLength(int room) {
        int remaining = remaining();
        if (remaining <= room) {
            return remaining;
        }
        return segmentSize > 0 ? room / segmentSize * segmentSize : 0;
    }

    /** Marks {@code length} bytes as handed out; returns their sender. */
    InetSocketAddress take(int length) {
        offset += length;
        return sender;
    }

    /** How many datagrams {@code length} bytes hold when each but the last has {@code segmentSize} bytes. */
    static int datagramsIn(int length, int segmentSize) {
        return segmentSize > 0 ? Math.max(1, (length + segmentSize - 1) / segmentSize) : 1;
    }
}
