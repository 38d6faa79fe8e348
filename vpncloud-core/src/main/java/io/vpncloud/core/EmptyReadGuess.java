package io.vpncloud.core;

/**
 * A guess that a read would find nothing, so that it can be left out - a system call for nothing saved - checked by
 * a real read every few times, so that a wrong guess costs at most that many reads left out. Not thread-safe: its
 * owner guards it (the send path's read claim).
 */
final class EmptyReadGuess {
    private final int skipsBetweenChecks;
    private boolean guessedEmpty;
    private int skipsSinceCheck;

    /** @param skipsBetweenChecks how many reads in a row may be left out before one is made to check the guess */
    EmptyReadGuess(int skipsBetweenChecks) {
        this.skipsBetweenChecks = skipsBetweenChecks;
    }

    /**
     * Whether to leave this read out: while the guess is that it would find nothing, except when the reads left out
     * since the last check reached the limit; each true counts as one left out.
     */
    boolean skip() {
        if (!guessedEmpty || skipsSinceCheck >= skipsBetweenChecks) {
            return false;
        }
        skipsSinceCheck++;
        return true;
    }

    /** Whether the guess is that the next read would find nothing. */
    boolean guessesEmpty() {
        return guessedEmpty;
    }

    /** What a read that was made found, which becomes the guess. */
    void checked(boolean foundNothing) {
        guessedEmpty = foundNothing;
        skipsSinceCheck = 0;
    }
}
