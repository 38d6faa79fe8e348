package io.vpncloud.core.crypto;

/** The two implementations of {@link Aead}, and which one to use for each algorithm. */
public enum AeadProvider {
    /** The JDK's {@code javax.crypto} ciphers (AES-GCM uses the CPU's AES and carry-less multiply instructions). */
    JDK {
        @Override
        public Aead create(Algorithm algorithm, byte[] key) {
            return new JdkAead(algorithm, key);
        }
    },
    /** Bouncy Castle's lightweight ciphers (pure Java, no per-call provider lookup). */
    BOUNCY_CASTLE {
        @Override
        public Aead create(Algorithm algorithm, byte[] key) {
            return new BouncyCastleAead(algorithm, key);
        }
    };

    /**
     * An instance for {@code algorithm} with {@code key}.
     *
     * @throws IllegalArgumentException if the algorithm is plaintext or the key length does not match it
     */
    public abstract Aead create(Algorithm algorithm, byte[] key);

    /**
     * The provider to use for {@code algorithm}: the JDK for all three. Measured with SessionCipherBenchmark on the
     * shared 2-core build machine (docs/BENCHMARKS.md), encrypt+decrypt of a 1000-byte message, operations/s:
     * AES-128-GCM JDK ~530k vs Bouncy Castle ~18k and AES-256-GCM ~500k vs ~15k (the JDK uses the CPU's AES and
     * carry-less multiply instructions); ChaCha20-Poly1305 JDK ~75k vs ~30k once compiled (both pure Java on
     * Java 17).
     *
     * @throws IllegalArgumentException for plaintext, which has no AEAD
     */
    public static AeadProvider fastestFor(Algorithm algorithm) {
        if (algorithm == Algorithm.PLAINTEXT) {
            throw new IllegalArgumentException("plaintext has no AEAD");
        }
        return JDK;
    }

    static void checkKey(Algorithm algorithm, byte[] key) {
        if (algorithm == Algorithm.PLAINTEXT) {
            throw new IllegalArgumentException("plaintext has no AEAD");
        }
        if (key.length != algorithm.keyLength()) {
            throw new IllegalArgumentException(algorithm + " needs a " + algorithm.keyLength() + "-byte key, not "
                    + key.length + " bytes");
        }
    }
}
