package io.vpncloud.core;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RiseFallCounterTest {

    @Test
    void startsHealthyAndFallsAfterFallConsecutiveFailures() {
        RiseFallCounter counter = new RiseFallCounter(2, 3);
        assertTrue(counter.healthy());
        assertEquals(Optional.empty(), counter.record(true));
        assertEquals(Optional.empty(), counter.record(false));
        assertEquals(Optional.empty(), counter.record(false));
        assertEquals(Optional.of(false), counter.record(false));
        assertFalse(counter.healthy());
    }

    @Test
    void aSuccessBetweenFailuresStartsTheCountAgain() {
        RiseFallCounter counter = new RiseFallCounter(1, 2);
        assertEquals(Optional.empty(), counter.record(false));
        assertEquals(Optional.empty(), counter.record(true));
        assertEquals(Optional.empty(), counter.record(false));
        assertTrue(counter.healthy());
        assertEquals(Optional.of(false), counter.record(false));
    }

    @Test
    void risesAfterRiseConsecutiveSuccessesAndReportsOnlyChanges() {
        RiseFallCounter counter = new RiseFallCounter(3, 1);
        assertEquals(Optional.of(false), counter.record(false));
        assertEquals(Optional.empty(), counter.record(false)); // still failing: no second verdict
        assertEquals(Optional.empty(), counter.record(true));
        assertEquals(Optional.empty(), counter.record(true));
        assertEquals(Optional.empty(), counter.record(false)); // breaks the streak
        assertEquals(Optional.empty(), counter.record(true));
        assertEquals(Optional.empty(), counter.record(true));
        assertEquals(Optional.of(true), counter.record(true));
        assertEquals(Optional.empty(), counter.record(true));
        assertTrue(counter.healthy());
    }

    @Test
    void riseAndFallMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new RiseFallCounter(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new RiseFallCounter(1, 0));
    }
}
