package io.vpncloud.core.crypto;

import io.vpncloud.core.wire.AlgorithmSpeed;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The algorithm list a node advertises in its handshake (own speed per allowed algorithm, measured at start-up)
 * and the choice of the session algorithm from both sides' lists (PROTOCOL §3, §4.3).
 */
public final class AlgorithmSpeeds {
    /** The algorithms allowed when none are configured. */
    public static final List<Algorithm> DEFAULT_ALLOWED = List.of(Algorithm.AES128, Algorithm.AES256, Algorithm.CHACHA20);
    /** Measuring time for all algorithms together: short, so start-up stays quick (the reference spends 100 ms each). */
    public static final Duration DEFAULT_BUDGET = Duration.ofMillis(45);

    private static final Logger LOG = LoggerFactory.getLogger(AlgorithmSpeeds.class);
    private static final int MESSAGE_LENGTH = 1000;
    private static final int MESSAGES_PER_SLICE = 16;
    private static final double BYTES_PER_UNIT = 1_000_000.0;

    private AlgorithmSpeeds() {
    }

    /** {@link #measure(List, Duration, LongSupplier)} with {@link #DEFAULT_BUDGET} and {@link System#nanoTime}. */
    public static List<AlgorithmSpeed> measure(List<Algorithm> allowed) {
        return measure(allowed, DEFAULT_BUDGET, System::nanoTime);
    }

    /**
     * Measures each allowed algorithm as the reference does (encrypt and decrypt of 1000-byte messages) with the
     * provider its sessions use ({@link AeadProvider#fastestFor}) and lists the speeds in the order given, with
     * plaintext first at +∞ if it is allowed. The unit is the reference's: 10^6 bytes (encrypted plus decrypted)
     * per second, which it labels MiB/s.
     *
     * <p>So early in a JVM's life the code is still being compiled, so the algorithms are measured in alternating
     * short slices: each sees the same stages of warm-up, which keeps their ratios fair even though all absolute
     * numbers are far below steady state. The same is not true between providers: native code runs at full speed
     * from the first call while the JDK's is still interpreted, so this measurement does not choose providers
     * (in 45 ms, Bouncy Castle's AES-GCM came out ahead of the JDK's in one start of three, while compiled it is
     * 10-30 times slower; {@link #measureProviders} with seconds of budget compares them fairly).
     *
     * @param budget measuring time for all algorithms together
     * @param nanoClock a monotonic clock in nanoseconds
     */
    public static List<AlgorithmSpeed> measure(List<Algorithm> allowed, Duration budget, LongSupplier nanoClock) {
        List<Algorithm> encrypted = allowed.stream().filter(algorithm -> algorithm != Algorithm.PLAINTEXT).toList();
        List<ProviderSpeed> measured = run(encrypted.stream()
                .map(algorithm -> new Measurement(algorithm, AeadProvider.fastestFor(algorithm))).toList(),
                budget, nanoClock);
        List<AlgorithmSpeed> speeds = new ArrayList<>();
        if (allowed.contains(Algorithm.PLAINTEXT)) {
            speeds.add(new AlgorithmSpeed(Algorithm.PLAINTEXT.id(), Float.POSITIVE_INFINITY));
        }
        for (ProviderSpeed speed : measured) {
            speeds.add(new AlgorithmSpeed(speed.algorithm().id(), speed.speed()));
        }
        LOG.info("Crypto speeds: {} (providers: {})", speeds, measured.stream()
                .map(speed -> speed.algorithm() + " " + speed.provider()).toList());
        return List.copyOf(speeds);
    }

    /** The speed of one algorithm with one provider, in the reference's unit (see {@link #measure}). */
    public record ProviderSpeed(Algorithm algorithm, AeadProvider provider, float speed) {
    }

    /**
     * Measures every allowed algorithm (except plaintext) with every one of {@code providers}, in alternating slices
     * as {@link #measure} does, without choosing anything. With a budget of seconds this compares the providers of
     * a machine side by side (the JIT has long finished then).
     */
    public static List<ProviderSpeed> measureProviders(List<Algorithm> allowed, List<AeadProvider> providers,
            Duration budget, LongSupplier nanoClock) {
        List<Measurement> measurements = new ArrayList<>();
        for (Algorithm algorithm : allowed) {
            if (algorithm != Algorithm.PLAINTEXT) {
                for (AeadProvider provider : providers) {
                    measurements.add(new Measurement(algorithm, provider));
                }
            }
        }
        return run(measurements, budget, nanoClock);
    }

    /** Runs the measurements in alternating slices until the budget is spent; at least one slice each. */
    private static List<ProviderSpeed> run(List<Measurement> measurements, Duration budget, LongSupplier nanoClock) {
        long start = nanoClock.getAsLong();
        do {
            for (Measurement measurement : measurements) {
                measurement.runSlice(nanoClock);
            }
        } while (!measurements.isEmpty() && nanoClock.getAsLong() - start < budget.toNanos());
        return measurements.stream()
                .map(measurement -> new ProviderSpeed(measurement.algorithm, measurement.provider, measurement.speed()))
                .toList();
    }

    /** The running measurement of one algorithm and provider: a session pair, its buffers, messages and time. */
    private static final class Measurement {
        final Algorithm algorithm;
        final AeadProvider provider;
        final SessionCipher sender;
        final SessionCipher receiver;
        final ByteBuffer message = ByteBuffer.allocate(MESSAGE_LENGTH);
        final ByteBuffer datagram = ByteBuffer.allocate(MESSAGE_LENGTH + SessionCipher.OVERHEAD);
        final ByteBuffer decrypted = ByteBuffer.allocate(MESSAGE_LENGTH + SessionCipher.OVERHEAD);
        long messages;
        long nanos;

        Measurement(Algorithm algorithm, AeadProvider provider) {
            SecureRandom random = new SecureRandom();
            byte[] key = new byte[32];
            random.nextBytes(key);
            this.algorithm = algorithm;
            this.provider = provider;
            this.sender = SessionCipher.create(algorithm, key, true, random, provider);
            this.receiver = SessionCipher.create(algorithm, key, false, random, provider);
        }

        void runSlice(LongSupplier nanoClock) {
            long start = nanoClock.getAsLong();
            for (int i = 0; i < MESSAGES_PER_SLICE; i++) {
                sender.encrypt(message.clear(), datagram.clear());
                try {
                    receiver.decrypt(datagram.flip(), decrypted.clear());
                } catch (AuthenticationFailedException e) {
                    throw new IllegalStateException("own datagram failed to decrypt while measuring", e);
                }
            }
            nanos += nanoClock.getAsLong() - start;
            messages += MESSAGES_PER_SLICE;
        }

        float speed() {
            return (float) (messages * MESSAGE_LENGTH * 2 / BYTES_PER_UNIT / (Math.max(nanos, 1) / 1e9));
        }
    }

    /**
     * The session algorithm for two advertised lists, as the reference chooses it: plaintext if both allow it;
     * otherwise, among the algorithms both list, the one with the greatest {@code min(own speed, peer speed)}, the
     * first in {@code own}'s order on a tie. Unknown ids are ignored.
     *
     * @return empty if the lists have no algorithm in common (the handshake must be abandoned)
     */
    public static Optional<Algorithm> choose(List<AlgorithmSpeed> own, List<AlgorithmSpeed> peer) {
        if (allowsPlaintext(own) && allowsPlaintext(peer)) {
            return Optional.of(Algorithm.PLAINTEXT);
        }
        Algorithm best = null;
        float bestSpeed = 0;
        for (AlgorithmSpeed mine : own) {
            Optional<AlgorithmSpeed> theirs = find(peer, mine.algorithmId());
            if (mine.algorithmId() == Algorithm.PLAINTEXT.id() || !isKnown(mine.algorithmId()) || theirs.isEmpty()) {
                continue;
            }
            float common = mine.speed() < theirs.get().speed() ? mine.speed() : theirs.get().speed();
            if (best == null || bestSpeed < common) {
                best = Algorithm.fromId(mine.algorithmId());
                bestSpeed = common;
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean allowsPlaintext(List<AlgorithmSpeed> speeds) {
        return find(speeds, Algorithm.PLAINTEXT.id()).isPresent();
    }

    private static Optional<AlgorithmSpeed> find(List<AlgorithmSpeed> speeds, int algorithmId) {
        return speeds.stream().filter(speed -> speed.algorithmId() == algorithmId).findFirst();
    }

    private static boolean isKnown(int algorithmId) {
        return algorithmId <= Algorithm.CHACHA20.id();
    }
}
