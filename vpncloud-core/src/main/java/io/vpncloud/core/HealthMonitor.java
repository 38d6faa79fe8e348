package io.vpncloud.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Runs a health check on its own schedule, as keepalived's {@code track_script}: every interval, on a worker
 * thread so that the timeout can be enforced. A run over the timeout, or one that throws, counts as a failure;
 * while a run hangs no second one is started, and every interval it keeps hanging counts as another failure, so a
 * hung check withdraws the claims after {@code fall} intervals. Verdict changes go to {@code onVerdict} on the
 * monitor's thread.
 */
final class HealthMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final HealthCheckSettings settings;
    private final Consumer<Boolean> onVerdict;
    private final Thread monitor;
    private final ExecutorService worker;
    private final CountDownLatch closed = new CountDownLatch(1);
    // The fields below belong to the monitor thread.
    private final RiseFallCounter verdict;
    private Future<Boolean> running;

    HealthMonitor(HealthCheckSettings settings, String threadName, Consumer<Boolean> onVerdict) {
        this.settings = settings;
        this.onVerdict = onVerdict;
        this.verdict = new RiseFallCounter(settings.rise(), settings.fall());
        this.monitor = new Thread(this::runUntilClosed, threadName);
        monitor.setDaemon(true);
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName + "-check");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts checking; the service counts as healthy until {@code fall} checks have failed. */
    void start() {
        monitor.start();
    }

    /** Stops checking and interrupts a running check. Safe to call from {@code onVerdict}. */
    @Override
    public void close() {
        closed.countDown();
        monitor.interrupt();
        worker.shutdownNow();
        if (Thread.currentThread() == monitor || !monitor.isAlive()) {
            return;
        }
        try {
            monitor.join(CLOSE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runUntilClosed() {
        long interval = settings.interval().toNanos();
        long next = System.nanoTime();
        try {
            while (closed.getCount() > 0) {
                runOnce();
                long now = System.nanoTime();
                next += interval;
                if (next - now < 0) {
                    next = now + interval; // overran: no back-to-back rounds to catch up
                }
                if (closed.await(next - now, TimeUnit.NANOSECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    private void runOnce() throws InterruptedException {
        if (running != null && !running.isDone()) {
            LOG.debug("health check {} still running: counted as failed again", settings.check());
            record(false);
            return;
        }
        try {
            running = worker.submit(settings.check()::healthy);
        } catch (RejectedExecutionException e) {
            return; // closed meanwhile
        }
        record(awaitResult());
    }

    private boolean awaitResult() throws InterruptedException {
        try {
            return running.get(settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            LOG.warn("health check {} did not answer within {}: counted as failed", settings.check(),
                    settings.timeout());
        } catch (ExecutionException e) {
            LOG.warn("health check {} failed with {}", settings.check(), e.getCause().toString());
        }
        return false;
    }

    private void record(boolean success) {
        verdict.record(success).ifPresent(healthy -> {
            LOG.info(healthy ? "health check {} passes again" : "health check {} fails", settings.check());
            try {
                onVerdict.accept(healthy);
            } catch (RuntimeException e) {
                LOG.warn("handling the health verdict failed: {}", e.toString());
            }
        });
    }
}
