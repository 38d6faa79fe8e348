package io.vpncloud.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code --daemon}: a JVM cannot fork, so the command starts itself again as a detached child process (in a new
 * session through {@code setsid} when available, with no terminal input or output) and exits once the child
 * reports that its node runs. The child knows it is the daemon by the {@value #ENV_READY_FILE} variable, names the
 * file through which it reports readiness, and writes the pid file itself.
 */
final class Daemon {

    /** Set in the child's environment: the file the child creates once its node runs. */
    static final String ENV_READY_FILE = "VPNCLOUD_DAEMON_READY";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final List<String> SETSID = List.of("/usr/bin/setsid", "/bin/setsid");

    private Daemon() {
    }

    /** The ready file when this process is the daemon child. */
    static Optional<Path> readyFile(Map<String, String> env) {
        return Optional.ofNullable(env.get(ENV_READY_FILE)).map(Path::of);
    }

    /** Called by the child once its node runs. */
    static void signalReady(Path readyFile) throws IOException {
        Files.writeString(readyFile, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
    }

    /**
     * The command that runs this program again: the same java binary, JVM options, class path, main class and
     * arguments, prefixed with {@code setsid} when given.
     */
    static List<String> childCommand(Optional<String> setsid, String javaBinary, List<String> jvmOptions,
                                     String classPath, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        setsid.ifPresent(command::add);
        command.add(javaBinary);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /**
     * Starts the child with the same JVM, {@code mainClass} and arguments, and waits until its node runs.
     *
     * @return the exit status for this (parent) process: 0 when the daemon runs, 1 when it failed to start
     */
    static int launch(Class<?> mainClass, List<String> args, PrintStream err) throws IOException, InterruptedException {
        Path ready = Files.createTempFile("vpncloud-daemon", ".ready");
        Files.delete(ready);
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = childCommand(findSetsid(), java,
                ManagementFactory.getRuntimeMXBean().getInputArguments(), System.getProperty("java.class.path"),
                mainClass.getName(), args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put(ENV_READY_FILE, ready.toString());
        Process child = builder.start();
        try {
            return awaitReady(child, ready, err);
        } finally {
            Files.deleteIfExists(ready);
        }
    }

    private static int awaitReady(Process child, Path ready, PrintStream err) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!Files.exists(ready)) {
            try {
                int status = child.onExit().get(POLL.toMillis(), TimeUnit.MILLISECONDS).exitValue();
                err.println("vpncloud: the daemon exited with status " + status
                        + " before its node ran; run without --daemon, or with --log-file, to see why");
                return 1;
            } catch (TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    err.println("vpncloud: the daemon (pid " + child.pid() + ") did not start its node within "
                            + READY_TIMEOUT.toSeconds() + " s; it keeps trying");
                    return 1;
                }
            } catch (ExecutionException e) {
                err.println("vpncloud: cannot watch the daemon: " + e.getCause());
                return 1;
            }
        }
        return 0;
    }

    private static Optional<String> findSetsid() {
        return SETSID.stream().filter(path -> Files.isExecutable(Path.of(path))).findFirst();
    }
}
