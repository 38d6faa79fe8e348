package io.vpncloud.cli.system;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs short external commands ({@code ip}, {@code kill}, probes) with a time limit, capturing what they print.
 * A command that outlives its limit is killed together with its children, so a hanging tool cannot hang a test.
 */
final class Commands {

    /** Reads the output of running commands; daemon threads, so a stuck reader never keeps the JVM alive. */
    private static final ExecutorService OUTPUT_READERS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "system-test-output");
        thread.setDaemon(true);
        return thread;
    });

    /** Commands never read from the test's standard input. */
    static final ProcessBuilder.Redirect NO_INPUT = ProcessBuilder.Redirect.from(new File("/dev/null"));

    private Commands() {
    }

    /** Runs a command and waits for it, at most {@code limit}. */
    static CommandResult run(Duration limit, List<String> command) {
        try {
            return start(limit, command).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + String.join(" ", command), e);
        } catch (ExecutionException e) {
            throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e.getCause(), e.getCause());
        }
    }

    /** Runs a command, waits for it, and fails the test unless it succeeds. */
    static CommandResult runOrFail(Duration limit, String... command) {
        return run(limit, List.of(command)).requireSuccess();
    }

    /**
     * Starts a command without waiting; the result completes when it ends or, after {@code limit}, when it was
     * killed.
     */
    static CompletableFuture<CommandResult> start(Duration limit, List<String> command) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(NO_INPUT).start();
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()),
                OUTPUT_READERS);
        return process.onExit()
                .thenApply(ended -> true)
                .completeOnTimeout(false, limit.toMillis(), TimeUnit.MILLISECONDS)
                .thenCompose(inTime -> {
                    if (!inTime) {
                        killWithChildren(process);
                    }
                    // The output ends once every process holding the pipe is gone.
                    return output.thenApply(text -> new CommandResult(command, inTime ? process.exitValue() : -1,
                            text, !inTime));
                });
    }

    private static void killWithChildren(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
