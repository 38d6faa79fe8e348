package io.vpncloud.cli.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A long-running process of a system test (a node, a hostname server), its standard output and error going to a
 * log file. Started through {@code ip netns exec}, which replaces itself with the command, so {@link #pid()} is the
 * command's own process: a signal reaches the JVM itself, not a wrapper.
 */
final class BackgroundProcess implements AutoCloseable {
    private static final Duration EXIT_LIMIT = Duration.ofSeconds(10);
    private static final int LOG_TAIL_LINES = 80;

    private final String name;
    private final int run;
    private final List<String> command;
    private final Path log;
    private final Process process;

    private BackgroundProcess(String name, int run, List<String> command, Path log, Process process) {
        this.name = name;
        this.run = run;
        this.command = List.copyOf(command);
        this.log = log;
        this.process = process;
    }

    /**
     * Starts {@code command}, writing its output to {@code log} (replaced if it exists).
     *
     * @param name what it is ({@code "server-a-node"})
     * @param run  how often a process of this name was started, this one included
     */
    static BackgroundProcess start(String name, int run, List<String> command, Path log) throws IOException {
        Process process = new ProcessBuilder(command)
                .redirectInput(Commands.NO_INPUT)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new BackgroundProcess(name, run, command, log, process);
    }

    String name() {
        return name;
    }

    /** The name and the run, for messages: {@code "server-a-node (run 2)"}. */
    String label() {
        return name + " (run " + run + ")";
    }

    List<String> command() {
        return command;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Crashes the process: SIGKILL, no goodbye to the peers ({@link Process#destroyForcibly()} sends SIGKILL on
     * Linux); waits for the end and returns the exit status.
     */
    int kill() throws InterruptedException {
        requireJvm();
        process.destroyForcibly();
        return awaitExit(EXIT_LIMIT);
    }

    /**
     * Asks the process to stop gracefully: SIGTERM, as {@code kill PID} or a service manager does
     * ({@link Process#destroy()} sends SIGTERM on Linux). Does not wait; see {@link #awaitExit(Duration)}.
     */
    void terminate() {
        requireJvm();
        process.destroy();
    }

    /** Checks that the pid is the JVM itself, so that no wrapper gets the signal instead. */
    private void requireJvm() {
        String running = process.info().command().orElse("(unknown)");
        if (!running.endsWith("/java")) {
            throw new AssertionError(label() + ": pid " + pid() + " runs " + running + ", not a JVM; not signalled");
        }
    }

    /** Waits for the end, at most {@code limit} (else fails the test); returns the exit status. */
    int awaitExit(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(label() + " (pid " + pid() + ") still runs " + limit.toSeconds() + " s after the "
                    + "signal\n" + describe());
        }
        return process.exitValue();
    }

    /** The label, the command, whether it runs, and the end of its log. */
    String describe() {
        String state = process.isAlive() ? "running" : "exited with " + process.exitValue();
        return "--- " + label() + " (pid " + pid() + ", " + state + "): " + String.join(" ", command) + "\n"
                + logTail();
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
            String omitted = lines.size() > tail.size() ? "(" + (lines.size() - tail.size()) + " lines before, see "
                    + log + ")\n" : "";
            return omitted + String.join("\n", tail);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** Kills the process if it still runs. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(EXIT_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
