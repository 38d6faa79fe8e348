package io.vpncloud.bench;

import io.vpncloud.api.HealthCheck;
import io.vpncloud.api.IpRange;
import io.vpncloud.api.NodeId;
import io.vpncloud.api.VpnListener;
import io.vpncloud.core.MemoryTunDevice;
import io.vpncloud.core.NodeStatus;
import io.vpncloud.core.VpnNode;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * Whether what an embedding application does - a slow health check or listener, a host name that does not
 * resolve - or what the network does - a flood of init messages, hundreds of crashed peers - stalls the data
 * path of a node. Each scenario starts two nodes on loopback with in-memory devices, lets a {@link TrafficProbe}
 * send a packet every millisecond each way, and prints the largest gap between arrivals, the loss and the late
 * packets. A baseline scenario in which nothing else happens shows what the machine's own load costs.
 *
 * <p>It uses only public API that older builds have as well (no host name resolver, no health check settings
 * except through reflection), so the same compiled runner measures an older build's jars and this one's side by
 * side ({@code bench/stall.sh}). The slow host name needs a name server that does not answer, which
 * {@code bench/stall.sh} provides with a network namespace; elsewhere that scenario measures whatever the
 * system's resolver does.
 *
 * <pre>
 * java -cp vpncloud-benchmarks/target/classes:vpncloud-benchmarks/target/benchmarks.jar \
 *     io.vpncloud.bench.StallBenchmark --scenario health-check [--seconds 6]
 * java ... io.vpncloud.bench.StallBenchmark --list
 * </pre>
 *
 * Prints one line per run: {@code RESULT <tab> scenario <tab> packets each way <tab> largest gap ms <tab> lost
 * <tab> late <tab> largest delay ms <tab> note}.
 */
public final class StallBenchmark {
    private static final Timers TUTORIAL = new Timers(Duration.ofSeconds(5), Duration.ofSeconds(1));
    private static final Timers HA = new Timers(Duration.ofMillis(500), Duration.ofMillis(100));
    private static final Duration SLOW = Duration.ofSeconds(2);
    private static final Duration CONNECT_WAIT = Duration.ofSeconds(60);
    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final String SLOW_HOST = "slow-peer.stall.example";
    private static final int FLOOD_MESSAGES = 10_000;
    private static final int FLOOD_SOURCES = 500;
    /** More than the 224 ordinary handshake slots of a node with default settings. */
    private static final int CROWD = 240;
    private static final Duration NEW_NODE_WAIT = Duration.ofSeconds(30);

    /** The scenarios, by the name given with {@code --scenario}. */
    enum Scenario {
        BASELINE("baseline", "nothing else happens (the machine's own noise), timers 500 ms / 100 ms"),
        HEALTH_CHECK("health-check", "health check taking 2 s, timers 5 s / 1 s"),
        HEALTH_CHECK_HA("health-check-ha", "health check taking 2 s, timers 500 ms / 100 ms"),
        LISTENER("listener", "listener taking 2 s per event, a third node joins, timers 5 s / 1 s"),
        LISTENER_HA("listener-ha", "listener taking 2 s per event, a third node joins, timers 500 ms / 100 ms"),
        SLOW_DNS_HA("slow-dns-ha", "a configured peer's name server does not answer, timers 500 ms / 100 ms, 20 s"),
        INIT_FLOOD("init-flood", "10,000 signed PINGs from 500 source addresses, timers 5 s / 1 s"),
        CRASHED_PEERS("crashed-peers", CROWD + " peers crash, then a new node connects, timers 5 s / 1 s");

        final String id;
        final String description;

        Scenario(String id, String description) {
            this.id = id;
            this.description = description;
        }

        static Scenario byId(String id) {
            for (Scenario scenario : values()) {
                if (scenario.id.equals(id)) {
                    return scenario;
                }
            }
            throw new IllegalArgumentException("unknown scenario '" + id + "' (see --list)");
        }
    }

    /** A node's peer timeout and keepalive. */
    private record Timers(Duration peerTimeout, Duration keepalive) {
    }

    private final int seconds;
    private final List<VpnNode> nodes = new ArrayList<>();
    private final MemoryTunDevice deviceA = device("a", "10.0.77.1/24");
    private final MemoryTunDevice deviceB = device("b", "10.0.77.2/24");

    private StallBenchmark(int seconds) {
        this.seconds = seconds;
    }

    public static void main(String[] args) throws Exception {
        // Hundreds of nodes connecting and timing out would log thousands of lines at INFO.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        Scenario scenario = null;
        int seconds = 6;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--list" -> {
                    for (Scenario s : Scenario.values()) {
                        System.out.println(s.id + "\t" + s.description);
                    }
                    return;
                }
                case "--scenario" -> scenario = Scenario.byId(value(args, ++i));
                case "--seconds" -> seconds = Integer.parseInt(value(args, ++i));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (use --scenario NAME [--seconds S] or --list)");
            }
        }
        if (scenario == null) {
            throw new IllegalArgumentException("--scenario NAME is required (see --list)");
        }
        StallBenchmark benchmark = new StallBenchmark(seconds);
        try {
            benchmark.run(scenario);
        } finally {
            benchmark.closeAll();
        }
        // Threads of a stalled old build may still hang in user code; the measurement is done.
        System.exit(0);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private void run(Scenario scenario) throws Exception {
        System.err.printf(Locale.ROOT, "%s: %s%n", scenario.id, scenario.description);
        Outcome outcome = switch (scenario) {
            case BASELINE -> undisturbed(HA);
            case HEALTH_CHECK -> slowHealthCheck(TUTORIAL);
            case HEALTH_CHECK_HA -> slowHealthCheck(HA);
            case LISTENER -> slowListener(TUTORIAL);
            case LISTENER_HA -> slowListener(HA);
            case SLOW_DNS_HA -> slowHostName(HA);
            case INIT_FLOOD -> initFlood(TUTORIAL);
            case CRASHED_PEERS -> crashedPeers(TUTORIAL);
        };
        ProbeResult r = outcome.result;
        System.out.printf(Locale.ROOT, "RESULT\t%s\t%d\t%.0f\t%d\t%d\t%.0f\t%s; largest gap ended at %.1f s%n",
                scenario.id, r.sent(), r.largestGapMs(), r.lost(), r.late(), r.maxDelayMs(), outcome.note,
                r.gapEndSecond());
    }

    /** What a scenario measured, and a note on what else it saw. */
    private record Outcome(ProbeResult result, String note) {
    }

    // ---- scenarios ---------------------------------------------------------------------------------------------

    private Outcome undisturbed(Timers timers) throws Exception {
        VpnNode a = start("a", deviceA, timers, o -> o);
        VpnNode b = start("b", deviceB, timers, o -> o.peer(address(a)));
        String connected = awaitConnected(a, b);
        return new Outcome(probe(seconds), connected);
    }

    private Outcome slowHealthCheck(Timers timers) throws Exception {
        HealthCheck slow = () -> {
            pause(SLOW);
            return true;
        };
        VpnNode a = start("a", deviceA, timers, o -> withHealthCheck(o, slow));
        VpnNode b = start("b", deviceB, timers, o -> o.peer(address(a)));
        String connected = awaitConnected(a, b);
        return new Outcome(probe(seconds), connected);
    }

    private Outcome slowListener(Timers timers) throws Exception {
        AtomicBoolean slowNow = new AtomicBoolean();
        VpnListener slow = event -> {
            if (slowNow.get()) {
                pause(SLOW);
            }
        };
        VpnNode a = start("a", deviceA, timers, o -> o.listener(slow));
        VpnNode b = start("b", deviceB, timers, o -> o.listener(slow).peer(address(a)));
        String connected = awaitConnected(a, b);
        slowNow.set(true);
        TrafficProbe probe = startProbe(seconds);
        pause(Duration.ofSeconds(1));
        VpnNode c = start("c", device("c", "10.0.77.3/24"), timers, o -> o.peer(address(a)));
        ProbeResult result = probe.await();
        boolean joined = isPeer(c, a.nodeId());
        return new Outcome(result, connected + "; c " + (joined ? "joined" : "did not join"));
    }

    private Outcome slowHostName(Timers timers) throws Exception {
        VpnNode b = start("b", deviceB, timers, o -> o);
        VpnNode a = start("a", deviceA, timers, o -> o.peer(address(b)).peer(SLOW_HOST + ":3210"));
        String connected = awaitConnected(a, b);
        return new Outcome(probe(Math.max(seconds, 20)), connected);
    }

    private Outcome initFlood(Timers timers) throws Exception {
        VpnNode a = start("a", deviceA, timers, o -> o);
        VpnNode b = start("b", deviceB, timers, o -> o.peer(address(a)));
        String connected = awaitConnected(a, b);
        try (InitFlood flood = new InitFlood(FLOOD_SOURCES)) {
            TrafficProbe probe = startProbe(seconds);
            pause(Duration.ofSeconds(1));
            long t = System.nanoTime();
            flood.send(new InetSocketAddress("127.0.0.1", a.listenAddress().getPort()), FLOOD_MESSAGES);
            String sent = String.format(Locale.ROOT, "flood sent in %.0f ms", (System.nanoTime() - t) / 1e6);
            ProbeResult result = probe.await();
            return new Outcome(result, connected + "; " + sent + "; largest delay app to app "
                    + String.format(Locale.ROOT, "%.0f ms", result.maxDelayMs()));
        }
    }

    private Outcome crashedPeers(Timers timers) throws Exception {
        VpnNode a = start("a", deviceA, timers, o -> o);
        VpnNode b = start("b", deviceB, timers, o -> o.peer(address(a)));
        String connected = awaitConnected(a, b);
        InetSocketAddress aAddress = new InetSocketAddress("127.0.0.1", a.listenAddress().getPort());
        List<VpnNode> crowd = new ArrayList<>();
        for (int i = 0; i < CROWD; i++) {
            String listen = "127.13." + (i / 250) + "." + (i % 250 + 1) + ":0";
            // The crowd talks to a only: they learn each other from a's NodeInfo but must not mesh.
            crowd.add(start("crowd" + i, new MemoryTunDevice("crowd" + i,
                    IpRange.parse("10.1." + (i / 250) + "." + (i % 250 + 1) + "/16"), 1427, 16), null,
                    o -> o.listen(listen).socketProvider(new LoopbackUdpSocketProvider(aAddress::equals))
                            .peer(address(a))));
        }
        boolean all = awaitPeerCount(a, CROWD + 1, CONNECT_WAIT);
        int crowdConnected = a.status().peers().size() - 1;
        TrafficProbe probe = startProbe(seconds);
        for (VpnNode node : crowd) {
            node.crash();
        }
        boolean dropped = awaitPeerCount(a, 1, CONNECT_WAIT);
        VpnNode n = start("n", device("n", "10.0.77.4/24"), timers, o -> o.peer(address(a)));
        long t = System.nanoTime();
        String joined = awaitConnected(a, n, NEW_NODE_WAIT)
                ? String.format(Locale.ROOT, "new node connected after %.2f s", (System.nanoTime() - t) / 1e9)
                : "new node not connected after " + NEW_NODE_WAIT.toSeconds() + " s";
        ProbeResult result = probe.await();
        return new Outcome(result, connected + "; " + crowdConnected + " crowd peers" + (all ? "" : " (not all)")
                + (dropped ? "" : ", not all dropped") + "; " + joined);
    }

    // ---- parts -------------------------------------------------------------------------------------------------

    /** Starts a node on loopback with the shared password; {@code timers} null keeps the defaults. */
    private VpnNode start(String name, MemoryTunDevice device, Timers timers, UnaryOperator<VpnNode.Builder> more)
            throws IOException {
        VpnNode.Builder builder = VpnNode.builder().password(InitFlood.PASSWORD).listen("127.0.0.1:0")
                .device(device).socketProvider(new LoopbackUdpSocketProvider());
        if (timers != null) {
            builder.peerTimeout(timers.peerTimeout()).keepalive(timers.keepalive());
        }
        VpnNode node = more.apply(builder).build();
        nodes.add(node);
        node.start();
        return node;
    }

    /**
     * The health check with a timeout longer than the check takes, where the build has timeouts (the slow check
     * is meant to pass), and an interval as long as the timeout; older builds only have
     * {@code healthCheck(check)}, which has neither.
     */
    private static VpnNode.Builder withHealthCheck(VpnNode.Builder builder, HealthCheck check) {
        Duration interval = SLOW.plusSeconds(1);
        try {
            Method withTimeout = VpnNode.Builder.class.getMethod("healthCheck", HealthCheck.class, Duration.class,
                    Duration.class, int.class, int.class);
            return (VpnNode.Builder) withTimeout.invoke(builder, check, interval, interval, 1, 1);
        } catch (NoSuchMethodException e) {
            return builder.healthCheck(check);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("healthCheck with timeout failed", e);
        }
    }

    private TrafficProbe startProbe(int probeSeconds) {
        TrafficProbe probe = new TrafficProbe(deviceA, new byte[] {10, 0, 77, 1}, deviceB, new byte[] {10, 0, 77, 2},
                probeSeconds * 1000, GRACE);
        probe.start();
        return probe;
    }

    private ProbeResult probe(int probeSeconds) throws InterruptedException {
        return startProbe(probeSeconds).await();
    }

    private String awaitConnected(VpnNode a, VpnNode b) throws InterruptedException {
        long t = System.nanoTime();
        boolean connected = awaitConnected(a, b, CONNECT_WAIT);
        double took = (System.nanoTime() - t) / 1e9;
        return connected ? String.format(Locale.ROOT, "connected after %.1f s", took)
                : "not connected after " + CONNECT_WAIT.toSeconds() + " s";
    }

    /** Waits until each node has the other as a peer and routes the other's claims to it. */
    private static boolean awaitConnected(VpnNode a, VpnNode b, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!(routesTo(a, b.nodeId()) && routesTo(b, a.nodeId()))) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    private static boolean routesTo(VpnNode node, NodeId peer) {
        NodeStatus status = node.status();
        return isPeer(node, peer) && status.claims().stream().anyMatch(c -> c.nodeId().equals(peer) && c.active());
    }

    private static boolean isPeer(VpnNode node, NodeId peer) {
        return node.status().peers().stream().anyMatch(p -> p.nodeId().equals(peer));
    }

    private static boolean awaitPeerCount(VpnNode node, int count, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (node.status().peers().size() != count) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private static String address(VpnNode node) {
        return "127.0.0.1:" + node.listenAddress().getPort();
    }

    /** A device with room for the probe's packets during a stall of several seconds. */
    private static MemoryTunDevice device(String name, String address) {
        return new MemoryTunDevice(name, IpRange.parse(address), 1427, 32768);
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes the nodes without waiting for ones an old build keeps stalled. */
    private void closeAll() {
        Thread closer = new Thread(() -> nodes.forEach(VpnNode::crash), "close-nodes");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
