package io.vpncloud.core.wire;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * The base62 text form of keys (PROTOCOL.md §2): a byte string read as one big-endian unsigned number, written
 * with the digits {@code 0-9A-Za-z}, most significant first, without padding. Leading zero bytes are lost, so
 * the empty string stands for zero and {@link #decode} yields the minimal big-endian bytes.
 */
public final class Base62 {

    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final BigInteger BASE = BigInteger.valueOf(62);

    private Base62() {
    }

    /** The base62 text of {@code bytes} read as an unsigned big-endian number. */
    public static String encode(byte[] bytes) {
        BigInteger value = new BigInteger(1, bytes);
        StringBuilder digits = new StringBuilder();
        while (value.signum() > 0) {
            BigInteger[] quotientAndRemainder = value.divideAndRemainder(BASE);
            digits.append(ALPHABET.charAt(quotientAndRemainder[1].intValue()));
            value = quotientAndRemainder[0];
        }
        return digits.reverse().toString();
    }

    /**
     * The minimal big-endian bytes of the number written in {@code text} (no leading zero bytes; empty for zero).
     *
     * @throws MalformedMessageException if {@code text} contains a character outside the alphabet
     */
    public static byte[] decode(String text) throws MalformedMessageException {
        BigInteger value = BigInteger.ZERO;
        for (int i = 0; i < text.length(); i++) {
            int digit = ALPHABET.indexOf(text.charAt(i));
            if (digit < 0) {
                throw new MalformedMessageException("not a base62 digit at position " + i + ": '"
                        + text.charAt(i) + "'");
            }
            value = value.multiply(BASE).add(BigInteger.valueOf(digit));
        }
        if (value.signum() == 0) {
            return new byte[0];
        }
        byte[] signed = value.toByteArray();
        // toByteArray adds a zero sign byte when the top bit is set; the wire form has no sign.
        return signed[0] == 0 ? Arrays.copyOfRange(signed, 1, signed.length) : signed;
    }

    /**
     * Decodes a key and left-pads it with zero bytes to {@code length} (32 for Ed25519 keys), restoring the
     * leading zero bytes that the text form drops.
     *
     * @throws MalformedMessageException if the text is not base62 or the number needs more than {@code length} bytes
     */
    public static byte[] decodeKey(String text, int length) throws MalformedMessageException {
        byte[] minimal = decode(text);
        if (minimal.length > length) {
            throw new MalformedMessageException("key too long: " + minimal.length + " bytes, expected " + length);
        }
        byte[] key = new byte[length];
        System.arraycopy(minimal, 0, key, length - minimal.length, minimal.length);
        return key;
    }
}
