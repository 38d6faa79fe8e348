package io.vpncloud.core.route;

/**
 * Addresses of up to 16 bytes as a 128-bit number held in two longs ({@code high} = bytes 0–7, {@code low} =
 * bytes 8–15, shorter addresses left-aligned and zero-padded), so that the data path can compare prefixes without
 * allocating. Bit 0 is the most significant bit of byte 0.
 */
final class AddressBits {

    /** Bits in a key. */
    static final int MAX_BITS = 128;

    private AddressBits() {
    }

    /** Bytes 0–7 of {@code address}, left-aligned. */
    static long high(byte[] address) {
        return fold(address, 0, Math.min(8, address.length));
    }

    /** Bytes 8–15 of {@code address}, left-aligned; 0 for addresses of at most 8 bytes. */
    static long low(byte[] address) {
        return address.length <= 8 ? 0 : fold(address, 8, address.length);
    }

    private static long fold(byte[] address, int from, int to) {
        long value = 0;
        for (int i = from; i < to; i++) {
            value = (value << 8) | (address[i] & 0xFF);
        }
        return value << (8 * (8 - (to - from)));
    }

    /** The first {@code length} bytes of the key. */
    static byte[] toBytes(long high, long low, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            long word = i < 8 ? high : low;
            bytes[i] = (byte) (word >>> (56 - 8 * (i % 8)));
        }
        return bytes;
    }

    /** Mask of the bits of {@code high} that lie in a prefix of {@code prefixLength} bits. */
    static long maskHigh(int prefixLength) {
        return prefixMask(Math.min(prefixLength, 64));
    }

    /** Mask of the bits of {@code low} that lie in a prefix of {@code prefixLength} bits. */
    static long maskLow(int prefixLength) {
        return prefixMask(Math.max(prefixLength - 64, 0));
    }

    private static long prefixMask(int bits) {
        return bits == 0 ? 0 : -1L << (64 - bits);
    }

    /** Bit {@code index} (0 = most significant) of the key; 0 past the end. */
    static int bitAt(long high, long low, int index) {
        if (index < 64) {
            return (int) (high >>> (63 - index)) & 1;
        }
        return index < MAX_BITS ? (int) (low >>> (127 - index)) & 1 : 0;
    }

    /** How many leading bits two keys share, at most {@code limit}. */
    static int commonPrefixLength(long highA, long lowA, long highB, long lowB, int limit) {
        long differentHigh = highA ^ highB;
        int common = differentHigh != 0
                ? Long.numberOfLeadingZeros(differentHigh)
                : 64 + Long.numberOfLeadingZeros(lowA ^ lowB);
        return Math.min(common, limit);
    }
}
