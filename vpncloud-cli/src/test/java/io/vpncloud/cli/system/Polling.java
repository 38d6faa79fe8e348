package io.vpncloud.cli.system;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting for a condition of the processes under test, which tell us nothing directly: checks it every 100 ms, up to
 * a limit, so that a test waits as long as needed and no longer, and fails with a message when the limit passes.
 */
final class Polling {
    static final Duration INTERVAL = Duration.ofMillis(100);

    private Polling() {
    }

    /**
     * Checks {@code condition} until it holds; returns how long that took.
     *
     * @param what    what is awaited, for the failure message ("the client to connect to server-a")
     * @param details more for the failure message (logs), asked only on failure
     */
    static Duration await(String what, Duration limit, BooleanSupplier condition, Supplier<String> details)
            throws InterruptedException {
        long start = System.nanoTime();
        while (true) {
            if (condition.getAsBoolean()) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            if (System.nanoTime() - start > limit.toNanos()) {
                throw new AssertionError("waited " + limit.toSeconds() + " s for " + what + " in vain\n"
                        + details.get());
            }
            Thread.sleep(INTERVAL.toMillis());
        }
    }
}
