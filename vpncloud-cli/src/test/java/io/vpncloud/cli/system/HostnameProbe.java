package io.vpncloud.cli.system;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Asks a hostname server through the VPN which server answers: a TCP connection from a node's namespace, as
 * {@code bash -c 'exec 3<>/dev/tcp/ADDR/PORT; cat <&3'}, bounded by {@code timeout}, since a connection to a dead
 * server hangs rather than fails.
 */
final class HostnameProbe {
    /** How long one connection may take; a live server answers in milliseconds. */
    private static final Duration CONNECTION_LIMIT = Duration.ofSeconds(1);
    private static final Duration COMMAND_LIMIT = CONNECTION_LIMIT.plusSeconds(4);
    private static final int REMEMBERED_FAILURES = 30;
    /** Probing goes on this long past a limit, so that a failure message tells how late the answer was. */
    private static final Duration OVERTIME = Duration.ofSeconds(5);

    private final NetworkNamespaces namespaces;
    private final String fromNode;
    private final String target;
    private final Supplier<String> diagnostics;

    /**
     * Probes {@code address:port} from the namespace of {@code fromNode}.
     *
     * @param diagnostics the logs to add to failure messages
     */
    HostnameProbe(NetworkNamespaces namespaces, String fromNode, String address, int port,
                  Supplier<String> diagnostics) {
        this.namespaces = namespaces;
        this.fromNode = fromNode;
        this.target = address + "/" + port;
        this.diagnostics = diagnostics;
    }

    /** One answer, or the failed probe's description. */
    record Answer(String name, CommandResult result) {
        boolean answered() {
            return !name.isEmpty();
        }

        String describe() {
            return answered() ? name : "no answer: " + result.describe();
        }
    }

    /** A name that answered, and when, counted from the start given to {@link #awaitAnswer}. */
    record TimedAnswer(String name, Duration after) {
    }

    /** Connects once and reads the answer. */
    private Answer ask() {
        return answerOf(Commands.run(COMMAND_LIMIT, command()));
    }

    /** Asks {@code times} times, {@code interval} apart. */
    private List<Answer> askRepeatedly(int times, Duration interval) throws InterruptedException {
        Answer[] answers = new Answer[times];
        for (int i = 0; i < times; i++) {
            if (i > 0) {
                Thread.sleep(interval.toMillis());
            }
            answers[i] = ask();
        }
        return List.of(answers);
    }

    /**
     * Asks {@code times} times, 400 ms apart (several keepalive periods in all), and fails the test unless
     * {@code expected} answers every time.
     *
     * @param situation what just happened, for the failure message ("the secondary joined")
     */
    void assertAlwaysAnsweredBy(String expected, int times, String situation) throws InterruptedException {
        List<Answer> answers = askRepeatedly(times, Duration.ofMillis(400));
        if (!answers.stream().allMatch(answer -> answer.name().equals(expected))) {
            throw new AssertionError("after " + situation + ", " + expected + " must answer every time, but the "
                    + "answers were " + answers.stream().map(Answer::describe).toList() + "\n" + diagnostics.get());
        }
    }

    /**
     * Probes until {@code expected} answers and fails the test unless it did within {@code limit} of
     * {@code startNanos}; probing goes on 5 s longer, so that the message tells how late it was. Returns the time.
     *
     * @param situation what happened at {@code startNanos}, for the messages ("kill -9 of server-a")
     */
    Duration assertAnsweredWithin(String expected, long startNanos, Duration limit, String situation)
            throws InterruptedException {
        Duration after = awaitAnswer(expected, expected::equals, startNanos, limit.plus(OVERTIME)).after();
        System.out.println("after " + situation + ", " + expected + " answered after " + after.toMillis() + " ms");
        if (after.compareTo(limit) > 0) {
            throw new AssertionError("after " + situation + ", " + expected + " answered after " + after.toMillis()
                    + " ms, later than " + limit.toMillis() + " ms\n" + diagnostics.get());
        }
        return after;
    }

    /**
     * Starts a probe every 100 ms, without waiting for the ones still connecting, until one is answered by a name
     * that {@code accepted} takes; returns that name and the time from {@code startNanos} ({@link System#nanoTime()})
     * to the answer. So the time measured is that of the first working connection, to within 100 ms.
     *
     * @param what   what is awaited, for the failure message
     * @param limit  how long to probe, counted from {@code startNanos}
     * @throws AssertionError with the last failed probes when {@code limit} passes
     */
    TimedAnswer awaitAnswer(String what, Predicate<String> accepted, long startNanos, Duration limit)
            throws InterruptedException {
        CompletableFuture<TimedAnswer> first = new CompletableFuture<>();
        Deque<String> failures = new ArrayDeque<>();
        ScheduledExecutorService starter = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "hostname-probe");
            thread.setDaemon(true);
            return thread;
        });
        try {
            starter.scheduleAtFixedRate(() -> Commands.start(COMMAND_LIMIT, command()).whenComplete((result, error) -> {
                Duration after = Duration.ofNanos(System.nanoTime() - startNanos);
                if (error != null) {
                    first.completeExceptionally(error);
                    return;
                }
                Answer answer = answerOf(result);
                if (answer.answered() && accepted.test(answer.name())) {
                    first.complete(new TimedAnswer(answer.name(), after));
                } else {
                    remember(failures, String.format(Locale.ROOT, "+%.1f s %s", after.toMillis() / 1000.0,
                            answer.describe()));
                }
            }), 0, Polling.INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            long remaining = limit.toNanos() - (System.nanoTime() - startNanos);
            return first.get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            synchronized (failures) {
                throw new AssertionError("no answer from " + what + " at " + target + " within " + limit.toSeconds()
                        + " s; the last probes:\n" + String.join("\n", failures) + "\n" + diagnostics.get());
            }
        } catch (ExecutionException e) {
            throw new AssertionError("probing " + target + " failed", e.getCause());
        } finally {
            starter.shutdownNow(); // probes still connecting end by themselves within CONNECTION_LIMIT
        }
    }

    private static void remember(Deque<String> failures, String failure) {
        synchronized (failures) {
            failures.addLast(failure);
            if (failures.size() > REMEMBERED_FAILURES) {
                failures.removeFirst();
            }
        }
    }

    private List<String> command() {
        String seconds = String.format(Locale.ROOT, "%.1f", CONNECTION_LIMIT.toMillis() / 1000.0);
        return namespaces.inNamespace(fromNode, List.of("timeout", seconds, "bash", "-c",
                "exec 3<>/dev/tcp/" + target + "; cat <&3"));
    }

    private static Answer answerOf(CommandResult result) {
        return new Answer(result.succeeded() ? result.firstLine() : "", result);
    }
}
