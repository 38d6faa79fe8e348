package io.vpncloud.bench;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.PeerAddress;
import io.vpncloud.core.MemoryTunDevice;
import io.vpncloud.core.NodeStatus;
import io.vpncloud.core.VpnNode;
import io.vpncloud.core.crypto.Identity;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The control plane at scale (issue 5): starts many nodes in one JVM on loopback, each with a memory device and
 * told about only one or two others, and reports
 * <ul>
 *   <li>how long the nodes take to start, and to form a full mesh (every node has all others as peers), which
 *       relies on the peer lists in NodeInfo (at most 20 peers each) being gossiped over several rounds;</li>
 *   <li>the heap a node needs per peer: used heap after a full GC with the mesh formed (and again after the idle
 *       window), minus the same with the nodes started but unconnected, divided by the directed links
 *       {@code n (n - 1)};</li>
 *   <li>the control-plane traffic (handshakes, NodeInfo, key rotation) per node and second, and the process CPU
 *       time, over an idle window after the mesh formed.</li>
 * </ul>
 *
 * <pre>
 * java -cp vpncloud-benchmarks/target/benchmarks.jar io.vpncloud.bench.MeshScaleSimulation \
 *     --nodes 200 --peer-timeout 300 [--keepalive 1] [--window 180] [--mesh-timeout 900] [--seed 1]
 *     [--shared-address]
 * </pre>
 *
 * Without {@code --keepalive} the nodes use the reference's default, derived from the peer timeout (90 s for 300 s).
 */
public final class MeshScaleSimulation {
    private static final String PASSWORD = "mesh-scale-simulation";
    /**
     * The key all nodes share, derived from {@link #PASSWORD} once: deriving it is PBKDF2 with 4096 rounds
     * (PROTOCOL.md §2), which would otherwise be most of every node's start-up. The derivation is timed on its own.
     */
    private final String privateKey;
    /** Packets buffered per direction in each memory device: no data flows here, so keep them small. */
    private static final int DEVICE_CAPACITY = 16;

    private final SimulationOptions options;
    private final List<VpnNode> nodes = new ArrayList<>();
    private final MeshProgress progress;

    private MeshScaleSimulation(SimulationOptions options) {
        this.options = options;
        this.progress = new MeshProgress(options.nodes());
        long t = System.nanoTime();
        this.privateKey = Identity.fromPassword(PASSWORD).privateKeyBase62();
        System.out.printf(Locale.ROOT, "deriving the key from the password took %.1f ms%n", millis(System.nanoTime() - t));
    }

    public static void main(String[] args) throws Exception {
        // Thousands of connect and route messages at INFO would cost more than the simulated control plane.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        SimulationOptions options = SimulationOptions.parse(args);
        MeshScaleSimulation simulation = new MeshScaleSimulation(options);
        try {
            simulation.run();
        } finally {
            simulation.stopAll();
        }
    }

    private void run() throws IOException, InterruptedException {
        int n = options.nodes();
        System.out.printf(Locale.ROOT, "mesh scale simulation: %s%n", options);
        long heapEmpty = HeapMeter.usedAfterGc();

        long startBegin = System.nanoTime();
        long firstStart = 0;
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            nodes.add(startNode(i));
            if (i == 0) {
                firstStart = System.nanoTime() - t;
            }
        }
        long startAll = System.nanoTime() - startBegin;
        long heapStarted = HeapMeter.usedAfterGc();
        System.out.printf(Locale.ROOT, "started %d nodes in %.2f s (first node %.0f ms, the others %.2f ms each);"
                        + " heap per unconnected node %.1f KiB%n", n, seconds(startAll), millis(firstStart),
                millis(startAll - firstStart) / Math.max(1, n - 1), (heapStarted - heapEmpty) / 1024.0 / n);

        long meshBegin = System.nanoTime();
        long meshCpuBegin = processCpuNanos();
        introduce();
        boolean full = progress.awaitFullMesh(TimeUnit.SECONDS.toNanos(options.meshTimeoutSeconds()),
                TimeUnit.SECONDS.toNanos(10), () -> reportProgress(meshBegin));
        long meshTime = System.nanoTime() - meshBegin;
        long meshCpu = processCpuNanos() - meshCpuBegin;
        reportProgress(meshBegin);
        if (!full) {
            System.out.printf(Locale.ROOT, "NO full mesh within %d s%n", options.meshTimeoutSeconds());
            return;
        }
        checkStatusAgrees();
        long links = (long) n * (n - 1);
        System.out.printf(Locale.ROOT, "full mesh of %d nodes (%d directed links) after %.2f s, using %.1f s of CPU"
                        + " (%.2f ms per connected pair)%n", n, links, seconds(meshTime), seconds(meshCpu),
                millis(meshCpu) / (links / 2.0));
        long heapMeshed = HeapMeter.usedAfterGc();
        System.out.printf(Locale.ROOT, "heap: %.1f MiB with the mesh, %.1f MiB before connecting: %.0f bytes per"
                        + " peer%n", heapMeshed / 1048576.0, heapStarted / 1048576.0,
                (heapMeshed - heapStarted) / (double) links);
        measureIdle();
        measureSettledHeap(heapStarted);
    }

    private VpnNode startNode(int index) throws IOException {
        IpRange address = new IpRange(new byte[] {10, 1, (byte) (index / 250), (byte) (index % 250 + 1)}, 16);
        MemoryTunDevice device = new MemoryTunDevice("n" + index, address, 1427, DEVICE_CAPACITY);
        VpnNode.Builder builder = VpnNode.builder().privateKey(privateKey)
                .listen((options.sharedAddress() ? "127.0.0.1" : loopbackAddress(index)) + ":0")
                .device(device)
                .peerTimeout(Duration.ofSeconds(options.peerTimeoutSeconds()))
                .listener(progress.listenerOf(index));
        if (options.keepaliveSeconds() > 0) {
            builder.keepalive(Duration.ofSeconds(options.keepaliveSeconds()));
        }
        VpnNode node = builder.build();
        node.start();
        return node;
    }

    /**
     * Each node listens on its own address of 127.0.0.0/8 (all of which is loopback on Linux), as nodes on separate
     * hosts would: the handshake limiter caps pending handshakes per source IP address, which on one shared
     * address ({@code --shared-address}) throttles the whole mesh to a few handshakes at a time.
     */
    private static String loopbackAddress(int index) {
        return "127.0." + (1 + index / 250) + "." + (1 + index % 250);
    }

    /**
     * Tells every node but the first about one or two of the nodes started before it (so the graph is connected),
     * chosen at random; the rest must come from gossip.
     */
    private void introduce() {
        Random random = new Random(options.seed());
        for (int i = 1; i < nodes.size(); i++) {
            int known = Math.min(i, 1 + random.nextInt(2));
            for (int k = 0; k < known; k++) {
                VpnNode other = nodes.get(random.nextInt(i));
                nodes.get(i).connect(PeerAddress.of(other.listenAddress()));
            }
        }
    }

    private void reportProgress(long since) {
        long full = (long) nodes.size() * (nodes.size() - 1);
        System.out.printf(Locale.ROOT, "  %6.1f s: %d of %d links (%.1f %%), %d nodes complete, fewest peers %d%n",
                seconds(System.nanoTime() - since), progress.links(), full, 100.0 * progress.links() / full,
                progress.fullNodes(), progress.minPeers());
    }

    /** The event count says the mesh is full; every node's own status must say the same. */
    private void checkStatusAgrees() {
        for (VpnNode node : nodes) {
            int peers = node.status().peers().size();
            if (peers != nodes.size() - 1) {
                throw new IllegalStateException(node.nodeId() + " reports " + peers + " peers, the events said "
                        + (nodes.size() - 1));
            }
        }
    }

    /** Control-plane traffic and CPU time over a window in which no node joins or leaves. */
    private void measureIdle() throws InterruptedException {
        int n = nodes.size();
        ControlTotals before = ControlTotals.of(nodes);
        long cpuBefore = processCpuNanos();
        long wallBefore = System.nanoTime();
        TimeUnit.SECONDS.sleep(options.windowSeconds());
        long wall = System.nanoTime() - wallBefore;
        long cpu = processCpuNanos() - cpuBefore;
        ControlTotals after = ControlTotals.of(nodes);
        double perNodeSecond = (after.bytes() - before.bytes()) / (double) n / seconds(wall);
        double packetsPerNodeSecond = (after.packets() - before.packets()) / (double) n / seconds(wall);
        System.out.printf(Locale.ROOT, "idle window %.1f s: control plane %.1f bytes/s and %.2f datagrams/s per"
                        + " node (%.1f bytes/s per peer); peers still connected: %d of %d links%n", seconds(wall),
                perNodeSecond, packetsPerNodeSecond, perNodeSecond / (n - 1), progress.links(), (long) n * (n - 1));
        System.out.printf(Locale.ROOT, "idle CPU: %.2f s of CPU in %.1f s = %.1f %% of one core for %d nodes"
                        + " (%.3f %% per node)%n", seconds(cpu), seconds(wall), 100.0 * cpu / wall, n,
                100.0 * cpu / wall / n);
    }

    /** Heap per peer again after the idle window, when finished handshakes (kept 60 s) are gone. */
    private void measureSettledHeap(long heapStarted) {
        long links = (long) nodes.size() * (nodes.size() - 1);
        long heap = HeapMeter.usedAfterGc();
        System.out.printf(Locale.ROOT, "heap after the idle window: %.1f MiB: %.0f bytes per peer%n",
                heap / 1048576.0, (heap - heapStarted) / (double) links);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private void stopAll() {
        for (VpnNode node : nodes) {
            node.crash();
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    /** The control-plane counters summed over all nodes. */
    private record ControlTotals(long packets, long bytes) {
        static ControlTotals of(List<VpnNode> nodes) {
            long packets = 0;
            long bytes = 0;
            for (VpnNode node : nodes) {
                NodeStatus.Traffic traffic = node.status().traffic();
                packets += traffic.controlPacketsOut();
                bytes += traffic.controlBytesOut();
            }
            return new ControlTotals(packets, bytes);
        }
    }
}
