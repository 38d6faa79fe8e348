package io.vpncloud.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;

/** The race's verdicts, on a fake clock that each contender advances by the time its round "takes". */
class ProviderRaceTest {
    private long now;

    /** A contender whose round number r takes {@code nanos.applyAsLong(r)} on the fake clock. */
    private ProviderRace.Contender taking(IntToLongFunction nanos) {
        int[] round = {0};
        return () -> now += nanos.applyAsLong(round[0]++);
    }

    private ProviderRace.Verdict race(IntToLongFunction defaultNanos, IntToLongFunction challengerNanos,
            long budgetNanos) {
        return ProviderRace.run(taking(defaultNanos), taking(challengerNanos), 21, budgetNanos, () -> now);
    }

    @Test
    void aClearlyFasterChallengerReplacesTheDefault() {
        ProviderRace.Verdict verdict = race(round -> 2_000, round -> 1_000, Long.MAX_VALUE);
        assertTrue(verdict.challengerWins());
        assertEquals(21, verdict.rounds());
        assertEquals(2.0, verdict.speedup(), 1e-9);
        assertEquals(1.0, verdict.challengerWinShare(), 1e-9);
    }

    @Test
    void aSlowChallengerLoses() {
        ProviderRace.Verdict verdict = race(round -> 1_000, round -> 5_000, Long.MAX_VALUE);
        assertFalse(verdict.challengerWins());
        assertEquals(0.2, verdict.speedup(), 1e-9);
        assertEquals(0.0, verdict.challengerWinShare(), 1e-9);
    }

    @Test
    void aChallengerFasterByLessThanTheMarginLeavesTheDefault() {
        ProviderRace.Verdict verdict = race(round -> 1_100, round -> 1_000, Long.MAX_VALUE);
        assertFalse(verdict.challengerWins());
        assertEquals(1.1, verdict.speedup(), 1e-9);
        assertEquals(1.0, verdict.challengerWinShare(), 1e-9);
    }

    @Test
    void aChallengerThatWinsOnlyHalfTheRoundsLeavesTheDefault() {
        // Three times as fast in even rounds, a little slower in odd ones: the median ratio alone would pass.
        ProviderRace.Verdict verdict = race(round -> 3_000, round -> round % 2 == 0 ? 1_000 : 3_100, Long.MAX_VALUE);
        assertFalse(verdict.challengerWins());
        assertTrue(verdict.challengerWinShare() < ProviderRace.WIN_SHARE);
    }

    @Test
    void aFewRoundsThatLostTheCpuDoNotDecide() {
        // The default was preempted for 100 times its work in three rounds; otherwise it is the faster one.
        ProviderRace.Verdict verdict = race(round -> round % 7 == 3 ? 100_000 : 1_000, round -> 1_500,
                Long.MAX_VALUE);
        assertFalse(verdict.challengerWins());
        assertEquals(1.0 / 1.5, verdict.speedup(), 1e-9);
    }

    @Test
    void tooFewRoundsWithinTheBudgetLeaveTheDefault() {
        // Rounds of 3 µs against a budget of 10 µs: four rounds start, fewer than the minimum.
        ProviderRace.Verdict verdict = race(round -> 2_000, round -> 1_000, 10_000);
        assertEquals(4, verdict.rounds());
        assertFalse(verdict.challengerWins());
        assertEquals(2.0, verdict.speedup(), 1e-9);
    }

    @Test
    void noRoundAtAllSaysNothing() {
        ProviderRace.Verdict verdict = race(round -> 2_000, round -> 1_000, 0);
        assertEquals(0, verdict.rounds());
        assertFalse(verdict.challengerWins());
    }
}
