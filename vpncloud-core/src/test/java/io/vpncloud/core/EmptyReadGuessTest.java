package io.vpncloud.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmptyReadGuessTest {
    @Test
    void readsUntilAReadFoundNothing() {
        EmptyReadGuess guess = new EmptyReadGuess(3);
        assertFalse(guess.skip(), "no guess yet");
        guess.checked(false);
        assertFalse(guess.skip(), "the last read found something");
    }

    @Test
    void leavesOutAsManyReadsAsAllowedThenChecks() {
        EmptyReadGuess guess = new EmptyReadGuess(3);
        guess.checked(true);
        for (int i = 0; i < 3; i++) {
            assertTrue(guess.skip(), "read " + i + " after the check");
        }
        assertFalse(guess.skip(), "the fourth checks");
        assertFalse(guess.skip(), "and so does every read until one is made and tells");
    }

    @Test
    void aCheckThatFindsSomethingEndsTheGuessAndOneThatFindsNothingRenewsIt() {
        EmptyReadGuess guess = new EmptyReadGuess(2);
        guess.checked(true);
        assertTrue(guess.skip());
        guess.checked(false);
        assertFalse(guess.skip());
        guess.checked(true);
        assertTrue(guess.skip());
        assertTrue(guess.skip());
        assertFalse(guess.skip());
    }
}
