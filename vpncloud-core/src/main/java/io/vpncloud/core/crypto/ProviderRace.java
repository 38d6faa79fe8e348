package io.vpncloud.core.crypto;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Times a default and a challenger side by side in alternating short rounds and says whether the challenger is
 * clearly faster. Each round runs both once (in turns, the order swapped every round), so both see the same load
 * and the same stage of the JIT; the verdict rests on the per-round ratios, so that a round that lost the CPU to
 * another process moves a median, not a mean. The challenger wins only with a clear margin, and only if it was
 * faster in most rounds; anything less keeps the default.
 */
final class ProviderRace {
    /** How much faster the challenger must be (median of the per-round time ratios) to replace the default. */
    static final double MARGIN = 1.2;
    /** The share of rounds the challenger must win. */
    static final double WIN_SHARE = 2.0 / 3.0;
    /** Fewer rounds than this within the budget say nothing: the default stays. */
    static final int MIN_ROUNDS = 5;

    /** One side of the race: a fixed amount of work per round. */
    interface Contender {
        void runRound();
    }

    /**
     * The outcome.
     *
     * @param challengerWins whether the challenger is to replace the default
     * @param rounds rounds completed
     * @param speedup median over the rounds of default time / challenger time (NaN without rounds)
     * @param challengerWinShare the share of rounds the challenger was faster in
     */
    record Verdict(boolean challengerWins, int rounds, double speedup, double challengerWinShare) {
    }

    private ProviderRace() {
    }

    /**
     * Runs up to {@code maxRounds} rounds, stopping early once {@code budgetNanos} have passed (by
     * {@code nanoClock}), and judges them.
     */
    static Verdict run(Contender defaultContender, Contender challenger, int maxRounds, long budgetNanos,
            LongSupplier nanoClock) {
        double[] ratios = new double[maxRounds];
        int rounds = 0;
        long start = nanoClock.getAsLong();
        while (rounds < maxRounds && nanoClock.getAsLong() - start < budgetNanos) {
            long defaultNanos;
            long challengerNanos;
            if (rounds % 2 == 0) {
                defaultNanos = time(defaultContender, nanoClock);
                challengerNanos = time(challenger, nanoClock);
            } else {
                challengerNanos = time(challenger, nanoClock);
                defaultNanos = time(defaultContender, nanoClock);
            }
            ratios[rounds++] = (double) Math.max(defaultNanos, 1) / Math.max(challengerNanos, 1);
        }
        return judge(Arrays.copyOf(ratios, rounds));
    }

    /** The verdict on per-round ratios (default time / challenger time). */
    static Verdict judge(double[] ratios) {
        int rounds = ratios.length;
        if (rounds == 0) {
            return new Verdict(false, 0, Double.NaN, 0);
        }
        long wins = Arrays.stream(ratios).filter(ratio -> ratio > 1).count();
        double share = (double) wins / rounds;
        double median = median(ratios);
        boolean challengerWins = rounds >= MIN_ROUNDS && median >= MARGIN && share >= WIN_SHARE;
        return new Verdict(challengerWins, rounds, median, share);
    }

    private static long time(Contender contender, LongSupplier nanoClock) {
        long start = nanoClock.getAsLong();
        contender.runRound();
        return nanoClock.getAsLong() - start;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** For log lines: the verdict's numbers. */
    static String describe(Verdict verdict, String defaultName, String challengerName) {
        return String.format(Locale.ROOT,
                "%s %.2f times as fast as %s (median of %d rounds), faster in %.0f %% of them", challengerName,
                verdict.speedup(), defaultName, verdict.rounds(), verdict.challengerWinShare() * 100);
    }
}
