package io.vpncloud.core.crypto;

import java.util.Arrays;
import java.util.List;

/** The implementations of {@link Aead}, and which one to use for each algorithm (see {@link ProviderChoice}). */
public enum AeadProvider {
    /** The JDK's {@code javax.crypto} ciphers (AES-GCM uses the CPU's AES and carry-less multiply instructions). */
    JDK {
        @Override
        public Aead create(Algorithm algorithm, byte[] key) {
            return new JceAead(algorithm, key);
        }

        @Override
        public boolean isAvailable() {
            return true;
        }
    },
    /** Bouncy Castle's lightweight ciphers (pure Java, no per-call provider lookup). */
    BOUNCY_CASTLE {
        @Override
        public Aead create(Algorithm algorithm, byte[] key) {
            return new BouncyCastleAead(algorithm, key);
        }

        @Override
        public boolean isAvailable() {
            return true;
        }
    },
    /**
     * Conscrypt (BoringSSL, native code), when {@code org.conscrypt:conscrypt-openjdk-uber} is on the path: several
     * times the JDK's ChaCha20-Poly1305 on Java 17, which has no intrinsics for it.
     */
    CONSCRYPT {
        @Override
        public Aead create(Algorithm algorithm, byte[] key) {
            return new DirectStagingAead(new JceAead(algorithm, key, Conscrypt.provider().orElseThrow(
                    () -> new IllegalStateException("Conscrypt is not available")), Conscrypt.CHACHA20_POLY1305));
        }

        @Override
        public boolean isAvailable() {
            return Conscrypt.provider().isPresent();
        }
    };

    /**
     * An instance for {@code algorithm} with {@code key}.
     *
     * @throws IllegalArgumentException if the algorithm is plaintext or the key length does not match it
     * @throws IllegalStateException if this provider is not {@link #isAvailable() available}
     */
    public abstract Aead create(Algorithm algorithm, byte[] key);

    /** Whether this provider can be used in this JVM (Conscrypt needs its jar and its native library). */
    public abstract boolean isAvailable();

    /** The available providers, in declaration order. */
    public static List<AeadProvider> available() {
        return Arrays.stream(values()).filter(AeadProvider::isAvailable).toList();
    }

    /**
     * The provider sessions use for {@code algorithm}: the one {@link ProviderChoice} chose in this JVM at the first
     * node's start-up, else {@link #defaultFor the default}.
     *
     * @throws IllegalArgumentException for plaintext, which has no AEAD
     */
    public static AeadProvider fastestFor(Algorithm algorithm) {
        AeadProvider fallback = defaultFor(algorithm);
        return ProviderChoice.chosen(algorithm).orElse(fallback);
    }

    /**
     * The provider for {@code algorithm} that was the fastest once compiled as measured side by side on the 2-core
     * build machine with Java 17 (AeadProviderComparison, SessionCipherBenchmark; docs/BENCHMARKS.md): for
     * ChaCha20-Poly1305 Conscrypt when available (about 2.3 times the JDK's pure Java), else the JDK (Bouncy
     * Castle's is half as fast); for AES-GCM the JDK, whose intrinsics beat Conscrypt's BoringSSL behind JNI and
     * Bouncy Castle 10-30 times. {@link ProviderChoice} keeps it unless another is clearly faster on the machine.
     *
     * @throws IllegalArgumentException for plaintext, which has no AEAD
     */
    public static AeadProvider defaultFor(Algorithm algorithm) {
        if (algorithm == Algorithm.PLAINTEXT) {
            throw new IllegalArgumentException("plaintext has no AEAD");
        }
        return algorithm == Algorithm.CHACHA20 && CONSCRYPT.isAvailable() ? CONSCRYPT : JDK;
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
