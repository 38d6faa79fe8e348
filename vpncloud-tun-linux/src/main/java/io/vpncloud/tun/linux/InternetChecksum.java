package io.vpncloud.tun.linux;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071): the one's-complement sum of 16-bit big-endian words. Sums are kept unfolded
 * in a {@code long} while adding and folded to 16 bits at the end; words are read eight bytes at a time and added as
 * two 32-bit halves, which gives the same folded sum because 2^16 is 1 modulo 0xFFFF.
 */
final class InternetChecksum {

    static final int PROTOCOL_TCP = 6;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private InternetChecksum() {
    }

    /**
     * {@code initial} plus the one's-complement sum of the bytes from {@code from} to {@code to} (unfolded).
     * Every TCP segment the device cuts is summed whole, so this is the hottest loop of the send path: a heap
     * buffer's array is read eight bytes at a time through a VarHandle, which the JIT turns into plain loads
     * without the per-access bounds checks of {@link ByteBuffer#getInt(int)}.
     */
    static long sum(ByteBuffer buffer, int from, int to, long initial) {
        if (buffer.hasArray()) {
            int offset = buffer.arrayOffset();
            return sum(buffer.array(), offset + from, offset + to, initial);
        }
        boolean bigEndian = buffer.order() == ByteOrder.BIG_ENDIAN;
        long sum = initial;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long word = buffer.getLong(i);
            if (!bigEndian) {
                word = Long.reverseBytes(word);
            }
            sum += (word >>> 32) + (word & 0xFFFF_FFFFL);
        }
        for (; i + 2 <= to; i += 2) {
            sum += NetworkOrder.u16(buffer, i);
        }
        if (i < to) {
            sum += NetworkOrder.u8(buffer, i) << 8;
        }
        return sum;
    }

    /** Like {@link #sum(ByteBuffer, int, int, long)} over an array's bytes from {@code from} to {@code to}. */
    static long sum(byte[] bytes, int from, int to, long initial) {
        long sum = initial;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long word = (long) LONGS.get(bytes, i);
            sum += (word >>> 32) + (word & 0xFFFF_FFFFL);
        }
        for (; i + 2 <= to; i += 2) {
            sum += ((bytes[i] & 0xFF) << 8) | (bytes[i + 1] & 0xFF);
        }
        if (i < to) {
            sum += (bytes[i] & 0xFF) << 8;
        }
        return sum;
    }

    /** Folds a sum to 16 bits with end-around carries. */
    static int fold(long sum) {
        long folded = sum;
        while ((folded >>> 16) != 0) {
            folded = (folded & 0xFFFF) + (folded >>> 16);
        }
        return (int) folded;
    }

    /** The checksum field value for the bytes summed: the folded sum inverted. */
    static int finish(long sum) {
        return ~fold(sum) & 0xFFFF;
    }

    /**
     * The unfolded sum of the pseudo-header (RFC 793 / RFC 8200) of the IP packet at {@code ip}: its addresses,
     * the protocol and the transport length.
     */
    static long pseudoHeaderSum(ByteBuffer buffer, int ip, int protocol, int transportLength) {
        boolean ipv4 = (NetworkOrder.u8(buffer, ip) >>> 4) == 4;
        long addresses = ipv4 ? sum(buffer, ip + 12, ip + 20, 0) : sum(buffer, ip + 8, ip + 40, 0);
        return addresses + protocol + transportLength;
    }

    /** Recomputes the IPv4 header checksum of the header at {@code ip} of {@code headerLength} bytes. */
    static void fixIpv4Header(ByteBuffer buffer, int ip, int headerLength) {
        NetworkOrder.putU16(buffer, ip + 10, 0);
        NetworkOrder.putU16(buffer, ip + 10, finish(sum(buffer, ip, ip + headerLength, 0)));
    }
}
