package io.vpncloud.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code vpncloud} command: the reference's command line for TUN mode, running a vpncloud-java node.
 *
 * <pre>
 * vpncloud --password mysecret --ip 10.0.0.1 -c server-b:3210
 * vpncloud --config /etc/vpncloud/mynet.net
 * vpncloud genkey [--password P]
 * </pre>
 *
 * Exit status: 0 after a clean stop (SIGTERM or Ctrl-C close the node gracefully), 1 when the node fails, 2 for a
 * wrong command line or config file.
 */
public final class VpncloudCommand {

    /** Exit status when the node cannot run. */
    static final int EXIT_FAILURE = 1;

    private VpncloudCommand() {
    }

    public static void main(String[] args) {
        ProcessName.set(ProcessName.NAME); // first, so that scripts find the process by name as soon as possible
        System.exit(execute(List.of(args), System.getenv(), System.out, System.err));
    }

    /**
     * Runs the command and returns its exit status; a node runs until the JVM shuts down.
     * No logger may exist before the command line is parsed, so that {@code -v}/{@code -q} take effect.
     */
    static int execute(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        CommandLineOptions.Command command;
        try {
            command = CommandLineOptions.parse(args, env);
        } catch (UsageException e) {
            e.getMessage().lines().forEach(line -> err.println("vpncloud: " + line));
            return UsageException.EXIT_CODE;
        }
        if (command instanceof CommandLineOptions.Help help) {
            out.print(CommandLineOptions.usage(help.subcommand()));
            return 0;
        } else if (command instanceof CommandLineOptions.Completion completion) {
            out.print(CompletionScript.forShell(completion.shell(), CommandLineOptions.optionNames()));
            return 0;
        } else if (command instanceof CommandLineOptions.Version) {
            out.println("vpncloud-java " + version());
            return 0;
        } else if (command instanceof CommandLineOptions.GenKey genKey) {
            out.print(GenKey.output(GenKey.keyPair(genKey.password())));
            return 0;
        }
        CliConfig config = ((CommandLineOptions.Run) command).config();
        Optional<Path> readyFile = Daemon.readyFile(env);
        if (config.daemon() && readyFile.isEmpty()) {
            try {
                return Daemon.launch(VpncloudCommand.class, args, err);
            } catch (IOException e) {
                err.println("vpncloud: cannot start the daemon: " + e.getMessage());
                return EXIT_FAILURE;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return EXIT_FAILURE;
            }
        }
        Logging.configure(config.logLevel(), config.logFile());
        return runNode(config, readyFile, err);
    }

    private static int runNode(CliConfig config, Optional<Path> readyFile, PrintStream err) {
        Logger log = LoggerFactory.getLogger(VpncloudCommand.class);
        config.warnings().forEach(log::warn);
        NodeRunner runner = new NodeRunner(config);
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean running = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down");
            runner.close();
            stopped.countDown();
            if (running.get()) {
                // A stop by SIGTERM or Ctrl-C is a clean stop: status 0 as in the reference, not the JVM's
                // 128 + signal, which service managers count as a failure. Not after a failed start: status 1 or 2.
                Runtime.getRuntime().halt(0);
            }
        }, "vpncloud-shutdown"));
        try {
            runner.start();
            if (readyFile.isPresent()) {
                Daemon.signalReady(readyFile.get());
            }
            running.set(true);
        } catch (IllegalArgumentException e) {
            err.println("vpncloud: " + e.getMessage());
            runner.close();
            return UsageException.EXIT_CODE;
        } catch (IOException e) {
            log.error("{}", e.getMessage());
            runner.close();
            return EXIT_FAILURE;
        }
        try {
            stopped.await(); // the shutdown hook ends the process; System.exit is never reached while running
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static String version() {
        String version = VpncloudCommand.class.getPackage().getImplementationVersion();
        return version != null ? version : "(development build)";
    }
}
