package io.vpncloud.examples;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.NodeId;
import io.vpncloud.api.VpnEvent;
import io.vpncloud.core.MemoryTunDevice;
import io.vpncloud.core.VpnNode;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The VpnCloud high-availability tutorial in one JVM, without root: two servers claim 10.0.0.1 (the address of
 * their in-memory devices), a client (10.0.0.100) probes 10.0.0.1 and gets its answers from the server it has
 * known longest. The active server crashes; the client fails over to the other one: at once when the crashed
 * server's closed port draws ICMP errors (the Linux socket sees them, docs/HA.md), else after its peer timeout. Then
 * the crashed server comes back (as standby) and the active one stops gracefully: the client fails over at once.
 * Then two more servers and a client that spreads its flows over both: one server's health check fails, its flows
 * (only its flows) move to the other server, and come back when the check passes again
 * ({@link SpreadAndHealthDemo}).
 *
 * <pre>
 * java -cp vpncloud-examples/target/vpncloud-examples.jar io.vpncloud.examples.HaDemo [--keepalive-ms 100]
 *      [--peer-timeout-ms 500] [--probe-interval-ms 50]
 * </pre>
 *
 * Exits with 0 when both failovers happened within the peer timeout plus one second and the flows moved as
 * expected, within the health check's interval x fall (or x rise) plus one keepalive and a second; 1 otherwise.
 */
public final class HaDemo {

    private static final String PASSWORD = "ha-demo";
    private static final IpRange SERVER_ADDRESS = IpRange.parse("10.0.0.1/24");
    private static final IpRange CLIENT_ADDRESS = IpRange.parse("10.0.0.100/24");
    private static final Duration FIRST_CONTACT_LIMIT = Duration.ofSeconds(10);
    private static final Duration REJOIN_LIMIT = Duration.ofSeconds(10);
    private static final int CONFIRMING_PROBES = 5;

    /**
     * The demo's timers.
     *
     * @param keepalive     how often every node tells its peers it is alive
     * @param peerTimeout   silence after which a peer counts as dead: the failover time after a crash
     * @param probeInterval how often the client probes 10.0.0.1 (and how long it waits for each answer)
     */
    public record Settings(Duration keepalive, Duration peerTimeout, Duration probeInterval) {
        /** Keepalive 100 ms, peer timeout 500 ms, a probe every 50 ms. */
        public static Settings defaults() {
            return new Settings(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofMillis(50));
        }
    }

    /**
     * What happened.
     *
     * @param firstActive      the server the client reached first
     * @param crashFailover    time from the crash of the active server to the first answer of the other one
     * @param gracefulFailover time from the graceful stop of the active server to the first answer of the other one
     * @param peerTimeout      the peer timeout of the run
     * @param spreadAndHealth  the part with spread flows and a failing health check; empty when the first part
     *                         failed
     */
    public record Result(Optional<String> firstActive, Optional<Duration> crashFailover,
                         Optional<Duration> gracefulFailover, Duration peerTimeout,
                         Optional<SpreadAndHealthDemo.Result> spreadAndHealth) {

        /** A failover must happen within the peer timeout plus one second. */
        public Duration limit() {
            return peerTimeout.plusSeconds(1);
        }

        /** Whether both failovers happened within the limit, and the part with spread flows succeeded. */
        public boolean succeeded() {
            return failoversSucceeded() && spreadAndHealth.filter(SpreadAndHealthDemo.Result::succeeded).isPresent();
        }

        private boolean failoversSucceeded() {
            return withinLimit(crashFailover) && withinLimit(gracefulFailover);
        }

        private Result with(SpreadAndHealthDemo.Result part) {
            return new Result(firstActive, crashFailover, gracefulFailover, peerTimeout, Optional.of(part));
        }

        private boolean withinLimit(Optional<Duration> failover) {
            return failover.filter(d -> d.compareTo(limit()) <= 0).isPresent();
        }
    }

    /** An answer to a probe and when it came. */
    private record Answer(String server, Instant at) {}

    private final Settings settings;
    private final PrintStream out;
    private final InstantSource clock;
    private final Instant start;
    private final BlockingQueue<VpnEvent> clientEvents = new LinkedBlockingQueue<>();
    private String lastProbeState = "";

    private HaDemo(Settings settings, PrintStream out, InstantSource clock) {
        this.settings = settings;
        this.out = out;
        this.clock = clock;
        this.start = clock.instant();
    }

    /** Runs the demo, printing its timeline to {@code out}. */
    public static Result run(Settings settings, PrintStream out) throws IOException, InterruptedException {
        HaDemo demo = new HaDemo(settings, out, InstantSource.system());
        Result failovers = demo.run();
        if (!failovers.failoversSucceeded()) {
            return failovers;
        }
        SpreadAndHealthDemo.Result spread = new SpreadAndHealthDemo(demo::node, settings, demo::line, demo.clock).run();
        demo.line(spread.succeeded() ? "flows spread, withdrawn and restored within the health check's times: OK"
                : "spreading flows or the health-check withdrawal did not work as expected: FAILED");
        return failovers.with(spread);
    }

    private Result run() throws IOException, InterruptedException {
        line("keepalive " + settings.keepalive().toMillis() + " ms, peer timeout " + settings.peerTimeout().toMillis()
                + " ms, a probe every " + settings.probeInterval().toMillis() + " ms");
        WhoAreYouServer serverA = WhoAreYouServer.start("server-a", SERVER_ADDRESS, node());
        WhoAreYouServer serverB = WhoAreYouServer.start("server-b", SERVER_ADDRESS, node().peer(peerOf(serverA)));
        MemoryTunDevice clientDevice = new MemoryTunDevice("client", CLIENT_ADDRESS);
        VpnNode client = node().peer(peerOf(serverA)).peer(peerOf(serverB)).device(clientDevice)
                .listener(clientEvents::add).build();
        WhoAreYouServer restarted = null;
        try {
            client.start();
            line("server-a at " + peerOf(serverA) + " and server-b at " + peerOf(serverB)
                    + " both claim 10.0.0.1; the client (10.0.0.100) connects to both");
            Prober prober = new Prober(clientDevice, CLIENT_ADDRESS.inetAddress(), SERVER_ADDRESS.inetAddress(), clock);
            Optional<Answer> first = probeUntil(prober, server -> true, FIRST_CONTACT_LIMIT);
            if (first.isEmpty()) {
                line("the client never reached 10.0.0.1");
                return new Result(Optional.empty(), Optional.empty(), Optional.empty(), settings.peerTimeout(),
                        Optional.empty());
            }
            WhoAreYouServer active = first.get().server().equals(serverA.name()) ? serverA : serverB;
            WhoAreYouServer standby = active == serverA ? serverB : serverA;
            line(active.name() + " is active for the client, " + standby.name() + " is standby");
            probeTimes(prober, CONFIRMING_PROBES);

            InetSocketAddress activeAddress = active.listenAddress();
            Instant crashAt = clock.instant();
            active.crash();
            line(active.name() + " crashes (no goodbye: the client learns of it from the ICMP errors its datagrams"
                    + " draw, or else from its peer timeout)");
            Optional<Duration> crashFailover = failover(prober, standby.name(), crashAt);

            restarted = WhoAreYouServer.start(active.name(), SERVER_ADDRESS,
                    node().listen(activeAddress).peer(peerOf(standby)));
            line(active.name() + " restarts");
            if (!awaitClientConnectedTo(restarted.nodeId())) {
                line("the client did not reconnect to " + active.name() + " within " + REJOIN_LIMIT.toSeconds() + " s");
                return new Result(Optional.of(active.name()), crashFailover, Optional.empty(), settings.peerTimeout(),
                        Optional.empty());
            }
            line("the client knows " + active.name() + " again, but stays with " + standby.name()
                    + ", the claimant it has known longest");
            probeTimes(prober, CONFIRMING_PROBES);

            Instant stopAt = clock.instant();
            standby.close();
            line(standby.name() + " stops gracefully (it tells its peers: CLOSE)");
            Optional<Duration> gracefulFailover = failover(prober, restarted.name(), stopAt);
            Result result = new Result(Optional.of(active.name()), crashFailover, gracefulFailover,
                    settings.peerTimeout(), Optional.empty());
            line(result.failoversSucceeded() ? "both failovers within " + result.limit().toMillis() + " ms: OK"
                    : "a failover took longer than " + result.limit().toMillis() + " ms: FAILED");
            return result;
        } finally {
            client.close();
            closeQuietly(restarted);
            closeQuietly(serverA);
            closeQuietly(serverB);
        }
    }

    /** A node of the demo: shared password, loopback, the demo's timers. */
    private VpnNode.Builder node() {
        return VpnNode.builder()
                .password(PASSWORD)
                .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .keepalive(settings.keepalive())
                .peerTimeout(settings.peerTimeout());
    }

    static String peerOf(WhoAreYouServer server) {
        InetSocketAddress address = server.listenAddress();
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** Probes until {@code server} answers and prints how long that took after {@code since}. */
    private Optional<Duration> failover(Prober prober, String server, Instant since)
            throws IOException, InterruptedException {
        Optional<Answer> answer = probeUntil(prober, server::equals, settings.peerTimeout().plusSeconds(5));
        Optional<Duration> failover = answer.map(a -> Duration.between(since, a.at()));
        line(failover.map(d -> "failover to " + server + " after " + d.toMillis() + " ms")
                .orElse("no failover to " + server));
        return failover;
    }

    private void probeTimes(Prober prober, int count) throws IOException, InterruptedException {
        for (int i = 0; i < count; i++) {
            probeOnce(prober);
        }
    }

    private Optional<Answer> probeUntil(Prober prober, Predicate<String> wanted, Duration limit)
            throws IOException, InterruptedException {
        Instant deadline = clock.instant().plus(limit);
        while (clock.instant().isBefore(deadline)) {
            Optional<Answer> answer = probeOnce(prober);
            if (answer.isPresent() && wanted.test(answer.get().server())) {
                return answer;
            }
        }
        return Optional.empty();
    }

    /** One probe; prints only when the answer differs from the previous one, so the timeline stays short. */
    private Optional<Answer> probeOnce(Prober prober) throws IOException, InterruptedException {
        Instant sent = clock.instant();
        Optional<String> server = prober.probe(settings.probeInterval());
        Instant answeredAt = clock.instant();
        String state = server.map(name -> "answered by " + name).orElse("no answer");
        if (!state.equals(lastProbeState)) {
            lastProbeState = state;
            line("probe " + state);
        }
        Duration rest = settings.probeInterval().minus(Duration.between(sent, clock.instant()));
        if (!rest.isNegative()) {
            TimeUnit.NANOSECONDS.sleep(rest.toNanos()); // pace the probes; not a synchronisation
        }
        return server.map(name -> new Answer(name, answeredAt));
    }

    private boolean awaitClientConnectedTo(NodeId node) throws InterruptedException {
        Instant deadline = clock.instant().plus(REJOIN_LIMIT);
        for (Duration left = REJOIN_LIMIT; !left.isNegative(); left = Duration.between(clock.instant(), deadline)) {
            VpnEvent event = clientEvents.poll(left.toNanos(), TimeUnit.NANOSECONDS);
            if (event instanceof VpnEvent.PeerConnected connected && connected.nodeId().equals(node)) {
                return true;
            }
        }
        return false;
    }

    private void line(String text) {
        out.printf("+%7.3fs  %s%n", Duration.between(start, clock.instant()).toNanos() / 1e9, text);
    }

    private static void closeQuietly(WhoAreYouServer server) {
        if (server != null) {
            try {
                server.close();
            } catch (RuntimeException e) {
                // already stopped
            }
        }
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        // The nodes' own log would drown the timeline; -Dorg.slf4j.simpleLogger.defaultLogLevel=info shows it.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        Settings defaults = Settings.defaults();
        long keepalive = defaults.keepalive().toMillis();
        long peerTimeout = defaults.peerTimeout().toMillis();
        long probeInterval = defaults.probeInterval().toMillis();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--keepalive-ms" -> keepalive = Long.parseLong(args[++i]);
                case "--peer-timeout-ms" -> peerTimeout = Long.parseLong(args[++i]);
                case "--probe-interval-ms" -> probeInterval = Long.parseLong(args[++i]);
                default -> {
                    System.err.println("usage: HaDemo [--keepalive-ms 100] [--peer-timeout-ms 500]"
                            + " [--probe-interval-ms 50]");
                    System.exit(args[i].equals("--help") ? 0 : 2);
                }
            }
        }
        Result result;
        try {
            result = run(new Settings(Duration.ofMillis(keepalive), Duration.ofMillis(peerTimeout),
                    Duration.ofMillis(probeInterval)), System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("HaDemo: " + e.getMessage()); // a timer the node rejects
            System.exit(2);
            return;
        }
        System.exit(result.succeeded() ? 0 : 1);
    }
}
