package io.vpncloud.core.crypto;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the session ciphers' real code (a {@link SessionCipher} pair, the provider sessions use, heap buffers as on
 * the data path) ten thousand times at start-up, before the speed measurement, so that the JIT has compiled it
 * before the first packets need it. A fresh JVM otherwise encrypts and decrypts its first few thousand packets
 * interpreted: about 45 µs per 100-byte encrypt plus decrypt of AES-128-GCM at first against 1-4 µs compiled
 * (measured on the loaded 2-core build machine), four of which every ping round trip through two fresh nodes pays.
 *
 * <p>It also makes the start-up speed measurement compare compiled code: without it the JDK's AES-GCM is still
 * interpreted during the measurement (about 2-4 MB/s) while Conscrypt's native ChaCha20-Poly1305 is not (20-80),
 * and nodes would advertise, and so choose, ChaCha20 although AES-GCM is faster once compiled. It costs about
 * 0.1-0.3 s of start-up once per algorithm, provider and JVM ({@link ProviderChoice} warms every provider it
 * compares, for the same reason).
 */
final class CipherWarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(CipherWarmUp.class);
    /** Encrypt-plus-decrypt pairs per algorithm: past the JIT's thresholds for the hot loops and methods. */
    static final int ROUNDS = 10_000;
    /**
     * Message lengths taken in turn, so that every length branch of the ciphers is profiled: a lone type byte (a
     * keepalive: no full block), a whole number of blocks (no partial block), a ping and a full packet behind their
     * type byte (full blocks and a partial one). The JDK's GCM takes a different branch for each kind; C2 code
     * compiled without seeing one gives up at its first use ("unstable if") and the method runs interpreted again
     * for its next few hundred calls: the first keepalive of a session did that to the send path's encryption.
     */
    private static final int[] SIZES = {1, 85, 64, 1401, 13, 1408, 100, 1400};
    private static final int LARGEST = 1408;

    private CipherWarmUp() {
    }

    /** Encrypts and decrypts {@code rounds} messages with {@code algorithm} through {@code provider}, checking each. */
    static void warm(Algorithm algorithm, AeadProvider provider, int rounds) {
        warm(algorithm, provider, rounds, Long.MAX_VALUE);
    }

    /**
     * Like {@link #warm(Algorithm, AeadProvider, int)}, but stops after about {@code maxNanos} (checked every hundred
     * rounds); returns the rounds done.
     */
    static int warm(Algorithm algorithm, AeadProvider provider, int rounds, long maxNanos) {
        long start = System.nanoTime();
        CipherLoop loop = new CipherLoop(algorithm, provider, LARGEST);
        int done = 0;
        while (done < rounds && (done % 100 != 0 || System.nanoTime() - start < maxNanos)) {
            loop.roundTrip(SIZES[done++ % SIZES.length]);
        }
        LOG.debug("cipher code of {} with {} warmed up with {} rounds in {} ms", algorithm, provider, done,
                (System.nanoTime() - start) / 1_000_000);
        return done;
    }
}
