package io.vpncloud.cli.system;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Many TCP connections to the hostname servers at once, each from a source port of its own, so that each is a flow
 * of its own and the same port is the same flow in every round: {@code socat} from a node's namespace, all
 * connections of a round in parallel, each bounded by a timeout (a connection to a dead server hangs).
 */
final class FlowProbe {
    /** What a round records for a connection that got no answer. */
    static final String NO_ANSWER = "none";
    private static final int CONNECTION_SECONDS = 3;
    private static final Duration ROUND_LIMIT = Duration.ofSeconds(CONNECTION_SECONDS + 20);

    private final NetworkNamespaces namespaces;
    private final String fromNode;
    private final String address;
    private final int port;
    private final int firstSourcePort;
    private final int flows;
    private final Supplier<String> diagnostics;

    FlowProbe(NetworkNamespaces namespaces, String fromNode, String address, int port, int firstSourcePort,
              int flows, Supplier<String> diagnostics) {
        this.namespaces = namespaces;
        this.fromNode = fromNode;
        this.address = address;
        this.port = port;
        this.firstSourcePort = firstSourcePort;
        this.flows = flows;
        this.diagnostics = diagnostics;
    }

    /** One connection per flow, all at once: which server answered each source port ({@link #NO_ANSWER}: none). */
    Map<Integer, String> round() {
        // socat reads until the server resets the connection: were the client to close first, its side of the
        // connection would wait in FIN_WAIT or TIME_WAIT, and later rounds could not connect from the same port for
        // a minute. linger=0 covers the client closing first all the same (the timeout ending a connection that
        // got no answer): its close resets the connection instead.
        String script = "for p in $(seq " + firstSourcePort + " " + (firstSourcePort + flows - 1) + "); do"
                + " ( a=$(timeout " + CONNECTION_SECONDS + " socat -u TCP:" + address + ":" + port
                + ",sourceport=$p,reuseaddr,linger=0 - 2>/dev/null); echo \"$p ${a:-" + NO_ANSWER + "}\" ) &"
                + " done; wait";
        CommandResult result = namespaces.run(fromNode, ROUND_LIMIT, "bash", "-c", script);
        if (!result.succeeded()) {
            throw new AssertionError("a round of connections failed: " + result.describe() + "\n"
                    + diagnostics.get());
        }
        Map<Integer, String> answers = new TreeMap<>();
        for (String line : result.output().strip().split("\n")) {
            String[] words = line.strip().split(" ", 2);
            if (words.length == 2 && words[0].matches("\\d+")) {
                answers.put(Integer.parseInt(words[0]), words[1].strip());
            }
        }
        if (answers.size() != flows) {
            throw new AssertionError("a round of " + flows + " connections printed " + answers.size()
                    + " answers: " + result.describe());
        }
        return answers;
    }

    /**
     * Runs rounds until one satisfies {@code accepted}; fails the test with the last round when {@code limit}
     * passes. Returns the round and the time from {@code startNanos} to its end.
     */
    TimedRound awaitRound(String what, Predicate<Map<Integer, String>> accepted, long startNanos, Duration limit) {
        Map<Integer, String> last = Map.of();
        List<String> rounds = new ArrayList<>();
        while (System.nanoTime() - startNanos < limit.toNanos()) {
            last = round();
            rounds.add(summary(last, Duration.ofNanos(System.nanoTime() - startNanos)));
            if (accepted.test(last)) {
                System.out.println("rounds until " + what + ": " + rounds);
                return new TimedRound(last, Duration.ofNanos(System.nanoTime() - startNanos));
            }
        }
        throw new AssertionError("no round of connections with " + what + " within " + limit.toSeconds()
                + " s; the rounds: " + rounds + "; the last: " + last + "\n" + diagnostics.get());
    }

    /** When a round ended, how many connections each server answered, and which got no answer. */
    private static String summary(Map<Integer, String> answers, Duration after) {
        Map<String, Integer> counts = new TreeMap<>();
        answers.values().forEach(server -> counts.merge(server, 1, Integer::sum));
        return "after " + after.toMillis() + " ms: " + counts + ", no answer from " + flowsOf(answers, NO_ANSWER);
    }

    /** A round and when it ended. */
    record TimedRound(Map<Integer, String> answers, Duration after) {
    }

    /** The source ports whose connection {@code server} answered. */
    static List<Integer> flowsOf(Map<Integer, String> answers, String server) {
        return answers.entrySet().stream().filter(e -> e.getValue().equals(server)).map(Map.Entry::getKey).toList();
    }
}
