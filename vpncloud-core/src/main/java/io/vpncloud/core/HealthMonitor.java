package io.vpncloud.core;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Placeholder: runs the health check on its own thread (replaced by the full version). */
final class HealthMonitor implements AutoCloseable {
    private final HealthCheckSettings settings;
    private final Consumer<Boolean> onVerdict;
    private final ScheduledExecutorService thread;
    private boolean healthy = true;

    HealthMonitor(HealthCheckSettings settings, String threadName, Consumer<Boolean> onVerdict) {
        this.settings = settings;
        this.onVerdict = onVerdict;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        long interval = settings.interval().toNanos();
        thread.scheduleWithFixedDelay(this::check, interval, interval, TimeUnit.NANOSECONDS);
    }

    private void check() {
        boolean now;
        try {
            now = settings.check().healthy();
        } catch (RuntimeException e) {
            now = false;
        }
        if (now != healthy) {
            healthy = now;
            onVerdict.accept(now);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
