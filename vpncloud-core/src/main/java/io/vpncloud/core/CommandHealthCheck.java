package io.vpncloud.core;

import io.vpncloud.api.HealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A health check that runs a shell command, as keepalived's {@code track_script}: {@code sh -c COMMAND}, healthy
 * when it exits with 0. A command still running after the timeout is killed, with everything it started, and
 * counts as failed; so is one that cannot be started. Its output is discarded.
 */
public final class CommandHealthCheck implements HealthCheck {
    private static final Logger LOG = LoggerFactory.getLogger(CommandHealthCheck.class);

    private final String command;
    private final Duration timeout;

    /**
     * @param command the shell command
     * @param timeout how long it may run; give the same timeout as to
     *                {@link VpnNode.Builder#healthCheck(HealthCheck, java.time.Duration, java.time.Duration, int, int)}
     */
    public CommandHealthCheck(String command, Duration timeout) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(timeout, "timeout");
        if (command.isBlank()) {
            throw new IllegalArgumentException("health check command must not be blank");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("health check timeout must be positive, not " + timeout);
        }
        this.command = command;
        this.timeout = timeout;
    }

    @Override
    public boolean healthy() {
        Process process;
        try {
            process = new ProcessBuilder(List.of("sh", "-c", command))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            LOG.warn("health check '{}' could not be started: {}", command, e.getMessage());
            return false;
        }
        try {
            if (process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                int exit = process.exitValue();
                LOG.debug("health check '{}' exited with {}", command, exit);
                return exit == 0;
            }
            LOG.debug("health check '{}' still running after {}: killed", command, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the node stops
        }
        kill(process);
        return false;
    }

    /** Kills the shell and whatever it started, so that a hanging check leaves nothing behind. */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    @Override
    public String toString() {
        return "'" + command + "'";
    }
}
