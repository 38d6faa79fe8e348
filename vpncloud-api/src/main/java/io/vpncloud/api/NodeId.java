package io.vpncloud.api;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The 16-byte random id a node picks at every start; it recognises the same node under several addresses.
 * Held as two longs so that it is immutable and cheap to compare.
 */
public record NodeId(long high, long low) implements Comparable<NodeId> {

    /** The id length on the wire. */
    public static final int LENGTH = 16;

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * A new random id.
     *
     * @return an id from a secure random source
     */
    public static NodeId random() {
        byte[] b = new byte[LENGTH];
        RANDOM.nextBytes(b);
        return fromBytes(b);
    }

    /**
     * The id from its 16 wire bytes.
     *
     * @param bytes exactly {@value #LENGTH} bytes
     * @return the id
     */
    public static NodeId fromBytes(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("node id must have 16 bytes, not " + bytes.length);
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (bytes[i] & 0xFF);
            lo = (lo << 8) | (bytes[i + 8] & 0xFF);
        }
        return new NodeId(hi, lo);
    }

    /**
     * The 16 wire bytes.
     *
     * @return a new array of {@value #LENGTH} bytes
     */
    public byte[] toBytes() {
        byte[] b = new byte[LENGTH];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (high >>> (56 - 8 * i));
            b[i + 8] = (byte) (low >>> (56 - 8 * i));
        }
        return b;
    }

    @Override
    public int compareTo(NodeId o) {
        int c = Long.compareUnsigned(high, o.high);
        return c != 0 ? c : Long.compareUnsigned(low, o.low);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(toBytes());
    }
}
