package io.vpncloud.core.crypto;

import java.util.Locale;

/** The session encryption algorithms of the protocol, with their wire ids and key lengths (PROTOCOL §3). */
public enum Algorithm {
    /** No encryption; only used when both sides allow it. */
    PLAINTEXT(0, 0),
    /** AES-128-GCM. */
    AES128(1, 16),
    /** AES-256-GCM. */
    AES256(2, 32),
    /** ChaCha20-Poly1305 (RFC 8439). */
    CHACHA20(3, 32);

    private final int id;
    private final int keyLength;

    Algorithm(int id, int keyLength) {
        this.id = id;
        this.keyLength = keyLength;
    }

    /** The id written on the wire in the handshake's algorithm list. */
    public int id() {
        return id;
    }

    /** Key length in bytes (0 for plaintext). */
    public int keyLength() {
        return keyLength;
    }

    /**
     * The algorithm with the given wire id.
     *
     * @throws IllegalArgumentException if no algorithm has that id
     */
    public static Algorithm fromId(int id) {
        for (Algorithm algorithm : values()) {
            if (algorithm.id == id) {
                return algorithm;
            }
        }
        throw new IllegalArgumentException("unknown algorithm id " + id);
    }

    /**
     * The algorithm for a configuration name, accepting the reference's spellings case-insensitively:
     * {@code plain|none|unencrypted}, {@code aes128|aes128_gcm|aes_128|aes_128_gcm},
     * {@code aes256|aes256_gcm|aes_256|aes_256_gcm}, {@code chacha|chacha20|chacha20_poly1305}.
     *
     * @throws IllegalArgumentException naming the bad name if it is none of these
     */
    public static Algorithm parse(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "plain": case "none": case "unencrypted":
                return PLAINTEXT;
            case "aes128": case "aes128_gcm": case "aes_128": case "aes_128_gcm":
                return AES128;
            case "aes256": case "aes256_gcm": case "aes_256": case "aes_256_gcm":
                return AES256;
            case "chacha": case "chacha20": case "chacha20_poly1305":
                return CHACHA20;
            default:
                throw new IllegalArgumentException("unknown algorithm name '" + name
                        + "' (use plain, aes128, aes256 or chacha20)");
        }
    }
}
