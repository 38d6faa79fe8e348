package io.vpncloud.tun.linux;

import java.nio.ByteBuffer;

/**
 * Big-endian header fields read and written byte by byte at absolute indexes, so the buffer's own
 * {@link java.nio.ByteOrder} (which belongs to the caller) does not matter and nothing is changed but the bytes.
 */
final class NetworkOrder {

    private NetworkOrder() {
    }

    static int u8(ByteBuffer buffer, int index) {
        return buffer.get(index) & 0xFF;
    }

    static int u16(ByteBuffer buffer, int index) {
        return (u8(buffer, index) << 8) | u8(buffer, index + 1);
    }

    static long u32(ByteBuffer buffer, int index) {
        return ((long) u16(buffer, index) << 16) | u16(buffer, index + 2);
    }

    static void putU16(ByteBuffer buffer, int index, int value) {
        buffer.put(index, (byte) (value >>> 8));
        buffer.put(index + 1, (byte) value);
    }

    static void putU32(ByteBuffer buffer, int index, long value) {
        putU16(buffer, index, (int) (value >>> 16));
        putU16(buffer, index + 2, (int) value);
    }

    /** Whether {@code length} bytes at {@code indexA} of {@code a} equal those at {@code indexB} of {@code b}. */
    static boolean sameBytes(ByteBuffer a, int indexA, ByteBuffer b, int indexB, int length) {
        for (int i = 0; i < length; i++) {
            if (a.get(indexA + i) != b.get(indexB + i)) {
                return false;
            }
        }
        return true;
    }
}
