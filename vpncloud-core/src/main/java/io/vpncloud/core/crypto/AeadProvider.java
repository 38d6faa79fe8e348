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
     * The provider to use for {@code algorithm}: the JDK for AES-GCM (CPU intrinsics), Bouncy Castle for ChaCha20
     * (Java 17 has no ChaCha20 intrinsics). To be confirmed by SessionCipherBenchmark (docs/BENCHMARKS.md).
     */
    public static AeadProvider fastestFor(Algorithm algorithm) {
        switch (algorithm) {
            case AES128:
            case AES256:
                return JDK;
            case CHACHA20:
                return BOUNCY_CASTLE;
            default:
                throw new IllegalArgumentException(algorithm + " has no AEAD");
        }
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
