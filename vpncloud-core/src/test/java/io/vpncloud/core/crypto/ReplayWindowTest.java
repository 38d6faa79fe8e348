package io.vpncloud.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ReplayWindowTest {

    @Test
    void windowCoversAtLeast1024Nonces() {
        assertTrue(ReplayWindow.SIZE >= 1024);
    }

    /**
     * Against a plain model: a counter is accepted iff it was never accepted and is above the window's bottom
     * (highest accepted - SIZE). Counters come from a narrow range so that duplicates and slides both happen.
     */
    @Property(tries = 300)
    void acceptsEachCounterOnceAndNothingBelowTheWindow(
            @ForAll @Size(max = 400) List<@LongRange(min = 0, max = 5000) Long> offsets,
            @ForAll @LongRange(min = 0, max = (1L << 56) - 6000) long base) {
        ReplayWindow window = new ReplayWindow();
        Set<Long> accepted = new HashSet<>();
        long highest = -1;
        for (long offset : offsets) {
            long counter = base + offset;
            boolean expected = !accepted.contains(counter) && (highest < 0 || counter > highest - ReplayWindow.SIZE);
            assertEquals(expected, window.mayAccept(counter), "counter " + counter + " highest " + highest);
            if (expected) {
                window.accept(counter);
                accepted.add(counter);
                highest = Math.max(highest, counter);
            }
        }
    }

    @Test
    void slidingFarForgetsOldCountersButRejectsThemAsTooOld() {
        ReplayWindow window = new ReplayWindow();
        window.accept(10);
        window.accept(10 + 100_000);
        assertFalse(window.mayAccept(10));
        assertTrue(window.mayAccept(10 + 100_000 - ReplayWindow.SIZE + 1));
        assertFalse(window.mayAccept(10 + 100_000 - ReplayWindow.SIZE));
        assertFalse(window.mayAccept(10 + 100_000));
    }
}
