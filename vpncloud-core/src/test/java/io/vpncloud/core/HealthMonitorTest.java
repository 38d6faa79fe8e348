package io.vpncloud.core;

import io.vpncloud.api.HealthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class HealthMonitorTest {
    private static final Duration INTERVAL = Duration.ofMillis(20);
    /** For checks that hang: short, so the test is quick. */
    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(200);
    /** For checks that answer: long, so a loaded machine does not turn a slow answer into a failure. */
    private static final Duration LONG_TIMEOUT = Duration.ofSeconds(10);

    private final BlockingQueue<Boolean> verdicts = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> verdictThreads = new LinkedBlockingQueue<>();

    private HealthMonitor monitor(HealthCheck check, Duration timeout, int rise, int fall) {
        return new HealthMonitor(new HealthCheckSettings(check, INTERVAL, timeout, rise, fall), "test-health",
                healthy -> {
                    verdictThreads.add(Thread.currentThread().getName());
                    verdicts.add(healthy);
                });
    }

    @Test
    void aHungCheckTimesOutCountsOncePerIntervalAndIsNeverStartedTwice() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        HealthCheck blocked = () -> {
            runs.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return true; // healthy, but too late
        };
        try (HealthMonitor monitor = monitor(blocked, SHORT_TIMEOUT, 2, 3)) {
            monitor.start();
            assertEquals(false, next());
            // Three failures (the timeout, then two intervals still hanging) from one single run of the check.
            assertEquals(1, runs.get());
            release.countDown();
            assertEquals(true, next()); // the check answers in time again: rise after two successes
            assertTrue(runs.get() >= 3, "runs: " + runs.get());
        }
        assertEquals(List.of("test-health", "test-health"), List.copyOf(verdictThreads));
    }

    @Test
    void anExceptionCountsAsAFailure() throws InterruptedException {
        AtomicInteger runs = new AtomicInteger();
        HealthCheck throwing = () -> {
            runs.incrementAndGet();
            throw new IllegalStateException("service gone");
        };
        try (HealthMonitor monitor = monitor(throwing, LONG_TIMEOUT, 1, 2)) {
            monitor.start();
            assertEquals(false, next());
            assertTrue(runs.get() >= 2, "runs: " + runs.get());
        }
    }

    @Test
    void failuresWithdrawAndSuccessesRestoreOnlyOnChanges() throws InterruptedException {
        // fail, fail (verdict false), fail, ok, fail, ok, ok (verdict true), then ok for ever
        boolean[] script = {false, false, false, true, false, true, true};
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch tenRuns = new CountDownLatch(10);
        HealthCheck scripted = () -> {
            int run = runs.getAndIncrement();
            tenRuns.countDown();
            return run >= script.length || script[run];
        };
        try (HealthMonitor monitor = monitor(scripted, LONG_TIMEOUT, 2, 2)) {
            monitor.start();
            assertTrue(tenRuns.await(10, TimeUnit.SECONDS));
        }
        assertEquals(List.of(false, true), List.copyOf(verdicts));
    }

    @Test
    void aHealthyCheckGivesNoVerdict() throws InterruptedException {
        CountDownLatch fiveRuns = new CountDownLatch(5);
        HealthCheck healthy = () -> {
            fiveRuns.countDown();
            return true;
        };
        try (HealthMonitor monitor = monitor(healthy, LONG_TIMEOUT, 1, 1)) {
            monitor.start();
            assertTrue(fiveRuns.await(10, TimeUnit.SECONDS));
        }
        assertTrue(verdicts.isEmpty(), verdicts.toString());
    }

    @Test
    void closeInterruptsARunningCheck() throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        HealthCheck hanging = () -> {
            entered.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return true;
        };
        HealthMonitor monitor = monitor(hanging, LONG_TIMEOUT, 1, 1);
        monitor.start();
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        monitor.close();
        assertTrue(interrupted.await(10, TimeUnit.SECONDS));
    }

    private Boolean next() throws InterruptedException {
        Boolean verdict = verdicts.poll(10, TimeUnit.SECONDS);
        if (verdict == null) {
            throw new AssertionError("no verdict");
        }
        return verdict;
    }
}
