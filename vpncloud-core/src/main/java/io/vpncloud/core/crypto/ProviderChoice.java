package io.vpncloud.core.crypto;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which {@link AeadProvider} the sessions of this JVM use per algorithm, chosen once at start-up by measuring the
 * candidates side by side on this machine and JDK.
 *
 * <p>The candidates are the provider's default ({@link AeadProvider#defaultFor}) and one challenger: Conscrypt
 * against the JDK's AES-GCM, the JDK against Conscrypt's ChaCha20-Poly1305 (which a JDK with ChaCha20 intrinsics
 * may match). Bouncy Castle is never a candidate: it measured 10-30 times slower than the JDK for AES-GCM and
 * about half as fast for ChaCha20-Poly1305. Without Conscrypt the JDK is the only candidate and nothing is
 * measured. Both candidates first run {@link CipherWarmUp}'s ten thousand rounds (the challenger at most
 * {@link #CHALLENGER_WARM_UP}), so that the race compares compiled code (within milliseconds of a JVM's start the
 * JDK's Java code is still interpreted while native code is not); then {@link ProviderRace} times them in
 * alternating rounds, and the challenger replaces the default only when it is clearly faster twice in a row (the
 * default warmed up again in between). Each race is bounded ({@link #BUDGET}) and runs on the thread that starts
 * the first node, never on a data thread. The choice is logged, and the system property {@value #PROPERTY}
 * overrides it ({@code jdk}, {@code conscrypt} or {@code bouncy-castle} for all algorithms, or per algorithm as
 * {@code chacha20=jdk,aes128=conscrypt}).
 */
public final class ProviderChoice {
    /** The system property that sets providers instead of measuring. */
    public static final String PROPERTY = "vpncloud.aead.provider";
    /** Measuring time per algorithm, after the warm-up. */
    static final Duration BUDGET = Duration.ofMillis(40);
    /**
     * The challenger's warm-up ends after this at the latest: the JDK's pure-Java ChaCha20-Poly1305 on Java 17 needs
     * more than a second for the full warm-up on a loaded 2-core machine, and a challenger that is not compiled by
     * then looks slow and leaves the default in place, which is the safe outcome.
     */
    static final Duration CHALLENGER_WARM_UP = Duration.ofMillis(250);
    static final int MAX_ROUNDS = 31;
    private static final int MESSAGES_PER_ROUND = 32;
    private static final int MESSAGE_LENGTH = 1400;

    private static final Logger LOG = LoggerFactory.getLogger(ProviderChoice.class);
    /** Written under the class lock, read by any thread that creates a session cipher. */
    private static volatile Map<Algorithm, AeadProvider> chosen = Map.of();

    private ProviderChoice() {
    }

    /**
     * The provider chosen for {@code algorithm} in this JVM, empty before {@link #prepareOnce} chose one (sessions
     * then use the default).
     */
    static Optional<AeadProvider> chosen(Algorithm algorithm) {
        return Optional.ofNullable(chosen.get(algorithm));
    }

    /**
     * Chooses the provider of every allowed algorithm that has none yet in this JVM (plaintext needs none), by the
     * override or by measurement, and leaves its cipher code warmed up; returns after.
     *
     * @throws IllegalArgumentException if {@value #PROPERTY} is malformed or names a provider that is not
     *     available here
     */
    public static synchronized void prepareOnce(Collection<Algorithm> allowed) {
        Map<Algorithm, AeadProvider> overrides = parseOverride(System.getProperty(PROPERTY));
        Map<Algorithm, AeadProvider> next = new EnumMap<>(Algorithm.class);
        next.putAll(chosen);
        for (Algorithm algorithm : allowed) {
            if (algorithm == Algorithm.PLAINTEXT || next.containsKey(algorithm)) {
                continue;
            }
            AeadProvider provider = overrides.get(algorithm);
            if (provider != null) {
                CipherWarmUp.warm(algorithm, provider, CipherWarmUp.ROUNDS);
                LOG.info("AEAD provider for {}: {} (set by -D{})", algorithm, provider, PROPERTY);
            } else {
                provider = measure(algorithm, System::nanoTime);
            }
            next.put(algorithm, provider);
        }
        chosen = Map.copyOf(next);
    }

    /**
     * Checks {@value #PROPERTY} without choosing anything, so a node can refuse a bad value before it opens its
     * device.
     *
     * @throws IllegalArgumentException as {@link #prepareOnce} would
     */
    public static void checkOverride() {
        parseOverride(System.getProperty(PROPERTY));
    }

    /** Warms the candidates for {@code algorithm}, races them if there are two, and returns the winner. */
    static AeadProvider measure(Algorithm algorithm, LongSupplier nanoClock) {
        AeadProvider defaultProvider = AeadProvider.defaultFor(algorithm);
        CipherWarmUp.warm(algorithm, defaultProvider, CipherWarmUp.ROUNDS);
        Optional<AeadProvider> challenger = challengerFor(algorithm);
        if (challenger.isEmpty()) {
            LOG.info("AEAD provider for {}: {} (the only candidate here)", algorithm, defaultProvider);
            return defaultProvider;
        }
        CipherWarmUp.warm(algorithm, challenger.get(), CipherWarmUp.ROUNDS, CHALLENGER_WARM_UP.toNanos());
        ProviderRace.Contender defaultContender = contender(algorithm, defaultProvider);
        ProviderRace.Contender challengerContender = contender(algorithm, challenger.get());
        List<ProviderRace.Verdict> verdicts = new ArrayList<>();
        boolean change = confirmedWin(() -> {
            ProviderRace.Verdict verdict = ProviderRace.run(defaultContender, challengerContender, MAX_ROUNDS,
                    BUDGET.toNanos(), nanoClock);
            verdicts.add(verdict);
            return verdict;
        }, () -> CipherWarmUp.warm(algorithm, defaultProvider, CipherWarmUp.ROUNDS, CHALLENGER_WARM_UP.toNanos()));
        AeadProvider winner = change ? challenger.get() : defaultProvider;
        LOG.info("AEAD provider for {}: {} ({}; a change needs {} times and {} % of the rounds, twice)", algorithm,
                winner, verdicts.stream().map(verdict -> ProviderRace.describe(verdict, defaultProvider.toString(),
                        challenger.get().toString())).collect(Collectors.joining("; then ")),
                ProviderRace.MARGIN, Math.round(ProviderRace.WIN_SHARE * 100));
        return winner;
    }

    /**
     * Whether the challenger wins {@code race} twice, with {@code between} run before the second race. A default
     * whose code the JIT is still compiling (or has just thrown away) loses every round of a race by far: on the
     * loaded build machine the JDK's AES-GCM once lost all 31 rounds to Conscrypt at 2.2 times, where Conscrypt
     * otherwise reached 0.72-1.06 times the JDK's speed (29 other starts). Warming it up again in between and
     * asking again keeps such a moment from deciding.
     */
    static boolean confirmedWin(Supplier<ProviderRace.Verdict> race, Runnable between) {
        if (!race.get().challengerWins()) {
            return false;
        }
        between.run();
        return race.get().challengerWins();
    }

    /** The other candidate than the default, if it is available: only Conscrypt and the JDK are candidates. */
    static Optional<AeadProvider> challengerFor(Algorithm algorithm) {
        AeadProvider other = AeadProvider.defaultFor(algorithm) == AeadProvider.JDK ? AeadProvider.CONSCRYPT
                : AeadProvider.JDK;
        return other.isAvailable() ? Optional.of(other) : Optional.empty();
    }

    /** A round: {@value #MESSAGES_PER_ROUND} full packets encrypted and decrypted through a real session pair. */
    private static ProviderRace.Contender contender(Algorithm algorithm, AeadProvider provider) {
        CipherLoop loop = new CipherLoop(algorithm, provider, MESSAGE_LENGTH);
        return () -> {
            for (int i = 0; i < MESSAGES_PER_ROUND; i++) {
                loop.roundTrip(MESSAGE_LENGTH);
            }
        };
    }

    /**
     * The providers {@code value} of {@value #PROPERTY} sets: empty for null, blank or {@code auto}; one provider
     * name for every algorithm; or {@code algorithm=provider} pairs separated by commas.
     *
     * @throws IllegalArgumentException naming the property and the bad part
     */
    static Map<Algorithm, AeadProvider> parseOverride(String value) {
        Map<Algorithm, AeadProvider> overrides = new EnumMap<>(Algorithm.class);
        if (value == null || value.isBlank() || value.strip().equalsIgnoreCase("auto")) {
            return overrides;
        }
        if (!value.contains("=")) {
            AeadProvider provider = parseProvider(value.strip(), value);
            for (Algorithm algorithm : Algorithm.values()) {
                if (algorithm != Algorithm.PLAINTEXT) {
                    overrides.put(algorithm, provider);
                }
            }
            return overrides;
        }
        for (String entry : value.split(",", -1)) {
            String[] parts = entry.split("=", -1);
            if (parts.length != 2) {
                throw invalid(value, "'" + entry.strip() + "' is not algorithm=provider");
            }
            Algorithm algorithm;
            try {
                algorithm = Algorithm.parse(parts[0].strip());
            } catch (IllegalArgumentException e) {
                throw invalid(value, e.getMessage());
            }
            if (algorithm == Algorithm.PLAINTEXT) {
                throw invalid(value, "plaintext has no AEAD provider");
            }
            overrides.put(algorithm, parseProvider(parts[1].strip(), value));
        }
        return overrides;
    }

    private static AeadProvider parseProvider(String name, String value) {
        AeadProvider provider;
        try {
            provider = AeadProvider.valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw invalid(value, "unknown provider '" + name + "' (use jdk, conscrypt or bouncy-castle)");
        }
        if (!provider.isAvailable()) {
            throw invalid(value, "provider '" + name + "' is not available here (Conscrypt needs its jar on the"
                    + " path and its native library)");
        }
        return provider;
    }

    private static IllegalArgumentException invalid(String value, String problem) {
        return new IllegalArgumentException("-D" + PROPERTY + "=" + value + ": " + problem);
    }
}
