package io.vpncloud.examples;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.VpnEvent;
import io.vpncloud.core.MemoryTunDevice;
import io.vpncloud.core.VpnNode;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The second part of the HA demo: two servers claim 10.0.0.1 and a client spreads its flows over both
 * ({@code spreadFlows}). One server's health check starts failing: it withdraws its claim after {@code fall}
 * failed checks and its flows (only its flows) move to the other server; when the check passes {@code rise} times
 * again, the same flows come back.
 */
public final class SpreadAndHealthDemo {
    /** Enough flows that both servers get some (all on one server: once in 30,000 runs). */
    public static final int FLOWS = 16;
    public static final int RISE = 2;
    public static final int FALL = 3;
    private static final int FIRST_PORT = 41000;
    private static final IpRange SERVER_ADDRESS = IpRange.parse("10.0.0.1/24");
    private static final IpRange CLIENT_ADDRESS = IpRange.parse("10.0.0.100/24");
    private static final IpRange SHARED = IpRange.parse("10.0.0.1/32");
    private static final Duration SETUP_LIMIT = Duration.ofSeconds(10);

    /**
     * What happened.
     *
     * @param bothServersUsed whether the client's flows went to both servers
     * @param withdrawal      time from the first failing check to the last of the server's flows answered by the
     *                        other server
     * @param restoration     time from the first passing check to the last of those flows answered by it again
     * @param flowsStayed     whether the other server's flows stayed with it throughout, and the same flows came
     *                        back
     * @param withdrawalLimit check interval x fall, plus one keepalive and a second
     * @param restorationLimit check interval x rise, plus one keepalive and a second
     */
    public record Result(boolean bothServersUsed, Optional<Duration> withdrawal, Optional<Duration> restoration,
                  boolean flowsStayed, Duration withdrawalLimit, Duration restorationLimit) {

        /** Whether flows went to both servers, moved within the limits, and only the checked server's flows moved. */
        public boolean succeeded() {
            return bothServersUsed && flowsStayed
                    && withdrawal.filter(d -> d.compareTo(withdrawalLimit) <= 0).isPresent()
                    && restoration.filter(d -> d.compareTo(restorationLimit) <= 0).isPresent();
        }

        static Result notRun(Duration withdrawalLimit, Duration restorationLimit) {
            return new Result(false, Optional.empty(), Optional.empty(), false, withdrawalLimit, restorationLimit);
        }
    }

    private final Supplier<VpnNode.Builder> nodes;
    private final HaDemo.Settings settings;
    private final Consumer<String> line;
    private final InstantSource clock;
    private final Duration checkInterval;
    private final List<Prober> flows = new ArrayList<>();
    /** Whether a probe of a flow got an answer from a server other than the one expected. */
    private boolean flowMovedWrongly;

    SpreadAndHealthDemo(Supplier<VpnNode.Builder> nodes, HaDemo.Settings settings, Consumer<String> line,
                        InstantSource clock) {
        this.nodes = nodes;
        this.settings = settings;
        this.line = line;
        this.clock = clock;
        this.checkInterval = settings.keepalive();
    }

    Result run() throws IOException, InterruptedException {
        Duration withdrawalLimit = checkInterval.multipliedBy(FALL).plus(settings.keepalive()).plusSeconds(1);
        Duration restorationLimit = checkInterval.multipliedBy(RISE).plus(settings.keepalive()).plusSeconds(1);
        AtomicBoolean healthy = new AtomicBoolean(true);
        AtomicReference<Instant> withdrawnAt = new AtomicReference<>();
        AtomicReference<Instant> restoredAt = new AtomicReference<>();
        WhoAreYouServer checked = WhoAreYouServer.start("spread-a", SERVER_ADDRESS, nodes.get()
                .healthCheck(healthy::get, checkInterval, checkInterval, RISE, FALL)
                .listener(event -> {
                    if (event instanceof VpnEvent.ClaimsWithdrawn) {
                        withdrawnAt.set(clock.instant());
                    } else if (event instanceof VpnEvent.ClaimsRestored) {
                        restoredAt.set(clock.instant());
                    }
                }));
        WhoAreYouServer other = WhoAreYouServer.start("spread-b", SERVER_ADDRESS,
                nodes.get().peer(HaDemo.peerOf(checked)));
        MemoryTunDevice clientDevice = new MemoryTunDevice("spread-client", CLIENT_ADDRESS);
        VpnNode client = nodes.get().spreadFlows(true).peer(HaDemo.peerOf(checked)).peer(HaDemo.peerOf(other))
                .device(clientDevice).build();
        try {
            client.start();
            line.accept("spread flows: spread-a and spread-b claim 10.0.0.1, a client with spreadFlows(true) probes "
                    + FLOWS + " flows (one source port each)");
            for (int i = 0; i < FLOWS; i++) {
                flows.add(new Prober(clientDevice, CLIENT_ADDRESS.inetAddress(), SERVER_ADDRESS.inetAddress(), clock,
                        FIRST_PORT + i));
            }
            Map<Integer, String> initial = spreadOverBoth(client);
            if (initial.isEmpty()) {
                return Result.notRun(withdrawalLimit, restorationLimit);
            }
            List<Integer> flowsOfChecked = flowsOf(initial, checked.name());
            line.accept("spread-a answers flows " + flowsOfChecked + ", spread-b flows "
                    + flowsOf(initial, other.name()));
            if (flowsOfChecked.isEmpty() || flowsOfChecked.size() == FLOWS) {
                line.accept("all flows went to one server (a one-in-30,000 draw of node ids)");
                return new Result(false, Optional.empty(), Optional.empty(), false, withdrawalLimit,
                        restorationLimit);
            }

            Instant failingAt = clock.instant();
            healthy.set(false);
            line.accept("spread-a's health check starts failing (every " + checkInterval.toMillis() + " ms, fall "
                    + FALL + ", rise " + RISE + ")");
            Optional<Duration> withdrawal = awaitFlowsAt(flowsOfChecked, other.name(), initial, failingAt,
                    withdrawalLimit.plusSeconds(5));
            line.accept(describe("moved to spread-b", withdrawal, withdrawnAt.get(), "ClaimsWithdrawn", failingAt,
                    FALL));

            Instant passingAt = clock.instant();
            healthy.set(true);
            line.accept("spread-a's health check passes again");
            Optional<Duration> restoration = awaitFlowsAt(flowsOfChecked, checked.name(), initial, passingAt,
                    restorationLimit.plusSeconds(5));
            line.accept(describe("came back to spread-a", restoration, restoredAt.get(), "ClaimsRestored", passingAt,
                    RISE));
            Map<Integer, String> after = probeRound();
            boolean sameBack = after.equals(initial);
            line.accept(sameBack ? "every flow is on its first server again; spread-b's flows never moved"
                    : "the flows did not return to their first servers: " + after);
            return new Result(true, withdrawal, restoration, sameBack && !flowMovedWrongly, withdrawalLimit,
                    restorationLimit);
        } finally {
            client.close();
            closeQuietly(checked);
            closeQuietly(other);
        }
    }

    /** Probes until the client knows both claimants and every flow was answered; empty when that fails. */
    private Map<Integer, String> spreadOverBoth(VpnNode client) throws IOException, InterruptedException {
        Instant deadline = clock.instant().plus(SETUP_LIMIT);
        while (clock.instant().isBefore(deadline)) {
            long claimants = client.status().claims().stream().filter(c -> c.range().equals(SHARED)).count();
            Map<Integer, String> round = probeRound();
            if (claimants == 2 && round.size() == FLOWS) {
                return round;
            }
        }
        line.accept("the client did not reach both servers within " + SETUP_LIMIT.toSeconds() + " s");
        return Map.of();
    }

    /**
     * Probes every flow in rounds until each of {@code moving} is answered by {@code server}; the other flows must
     * keep their server. The time of the last flow's first answer from {@code server} after {@code since}.
     */
    private Optional<Duration> awaitFlowsAt(List<Integer> moving, String server, Map<Integer, String> initial,
                                            Instant since, Duration limit) throws IOException, InterruptedException {
        Map<Integer, Instant> arrived = new TreeMap<>();
        Instant deadline = since.plus(limit);
        while (arrived.size() < moving.size() && clock.instant().isBefore(deadline)) {
            for (int flow = 0; flow < FLOWS; flow++) {
                Optional<String> answer = flows.get(flow).probe(settings.probeInterval());
                Instant at = clock.instant();
                if (answer.isEmpty()) {
                    continue;
                }
                if (moving.contains(flow)) {
                    if (answer.get().equals(server)) {
                        arrived.putIfAbsent(flow, at);
                    }
                } else if (!answer.get().equals(initial.get(flow))) {
                    flowMovedWrongly = true;
                    line.accept("flow " + flow + " moved to " + answer.get() + ", though its server stayed");
                }
            }
        }
        if (arrived.size() < moving.size()) {
            return Optional.empty();
        }
        return arrived.values().stream().max(Instant::compareTo).map(last -> Duration.between(since, last));
    }

    /** One probe of every flow: which server answered each (flows without an answer are left out). */
    private Map<Integer, String> probeRound() throws IOException, InterruptedException {
        Map<Integer, String> answers = new TreeMap<>();
        for (int flow = 0; flow < FLOWS; flow++) {
            Optional<String> answer = flows.get(flow).probe(settings.probeInterval());
            if (answer.isPresent()) {
                answers.put(flow, answer.get());
            }
        }
        return answers;
    }

    private String describe(String what, Optional<Duration> took, Instant eventAt, String event, Instant since,
                            int checks) {
        // The first check in the new state runs up to one interval after the change, the deciding one
        // checks - 1 intervals after that.
        String expected = "between " + checkInterval.multipliedBy(checks - 1).toMillis() + " and "
                + checkInterval.multipliedBy(checks).toMillis() + " ms (at check " + checks + ", checks "
                + checkInterval.toMillis() + " ms apart)";
        String eventText = eventAt == null ? "no " + event + " event"
                : event + " after " + Duration.between(since, eventAt).toMillis() + " ms";
        return took.map(d -> "spread-a's flows " + what + " after " + d.toMillis() + " ms; " + eventText
                        + "; expected " + expected)
                .orElse("spread-a's flows never " + what + "; " + eventText);
    }

    private static List<Integer> flowsOf(Map<Integer, String> answers, String server) {
        return answers.entrySet().stream().filter(e -> e.getValue().equals(server)).map(Map.Entry::getKey)
                .collect(Collectors.toList());
    }

    private static void closeQuietly(WhoAreYouServer server) {
        try {
            server.close();
        } catch (RuntimeException e) {
            // already stopped
        }
    }
}
