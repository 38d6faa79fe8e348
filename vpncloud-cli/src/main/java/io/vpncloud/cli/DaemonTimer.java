package io.vpncloud.cli;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The one-thread timers of the command's periodic jobs (stats file, statsd, beacons): daemon threads, stopped alike. */
final class DaemonTimer {
    private DaemonTimer() {
    }

    /** A timer on one daemon thread named {@code name}. */
    static ScheduledExecutorService named(String name) {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Cancels the timer's jobs and waits (a few seconds at most) for a running one to end. */
    static void stop(ScheduledExecutorService timer) {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
