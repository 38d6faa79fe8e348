package io.vpncloud.bench;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.TunDevice;
import io.vpncloud.api.VpnEvent;
import io.vpncloud.core.MemoryTunDevice;
import io.vpncloud.core.VpnNode;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The whole in-JVM data path between two real {@link VpnNode}s: device of node A -> route lookup -> encryption ->
 * UDP over loopback -> decryption -> device of node B, in packets per second (one operation = one packet).
 *
 * <p>Each invocation hands {@value #BATCH} packets to A's device at once and waits until all of them came out of
 * B's device, so the figure is what the path sustains end to end, not how fast packets can be queued. A packet
 * that has not arrived {@value #LOSS_TIMEOUT_MILLIS} ms after the last one that did is counted as lost (the
 * {@code lostPackets} secondary result), and the time spent waiting for it stays in the score: loss is not
 * hidden. The batch fits easily in the 4 MiB socket buffers the nodes ask for.
 *
 * <p>{@code device}: {@code MEMORY} is {@link MemoryTunDevice}, the application-facing queue that copies every
 * packet into a new array on the way in and out; {@code COUNTING} is a device that hands out one template packet
 * and only counts deliveries, so the difference between the two is the cost of the memory device itself.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PacketPathBenchmark {
    static final int BATCH = 512;
    static final long LOSS_TIMEOUT_MILLIS = 200;
    private static final IpRange ADDRESS_A = IpRange.parse("10.0.0.1/24");
    private static final IpRange ADDRESS_B = IpRange.parse("10.0.0.2/24");
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    /** Session algorithm: AES-128-GCM, or no encryption (both nodes allow only plaintext). */
    @Param({"aes128", "plain"})
    public String algorithm;

    /** IP packet size in bytes. */
    @Param({"64", "512", "1400"})
    public int size;

    @Param({"COUNTING", "MEMORY"})
    public DeviceKind device;

    /** Which device the nodes get. */
    public enum DeviceKind { COUNTING, MEMORY }

    /** Packets that did not arrive, summed over an iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Losses {
        public long lostPackets;
    }

    private VpnNode nodeA;
    private VpnNode nodeB;
    private CountingTunDevice countingA;
    private CountingTunDevice countingB;
    private MemoryTunDevice memoryA;
    private MemoryTunDevice memoryB;
    private byte[] packet;
    private long deliveredTarget;

    @Setup(Level.Trial)
    public void startNodes() throws IOException, InterruptedException {
        packet = BenchPackets.ipv4(ADDRESS_A.address(), ADDRESS_B.address(), size);
        TunDevice deviceA;
        TunDevice deviceB;
        if (device == DeviceKind.COUNTING) {
            deviceA = countingA = new CountingTunDevice("a", ADDRESS_A, packet);
            deviceB = countingB = new CountingTunDevice("b", ADDRESS_B, packet);
        } else {
            deviceA = memoryA = new MemoryTunDevice("a", ADDRESS_A, 1500, 4 * BATCH);
            deviceB = memoryB = new MemoryTunDevice("b", ADDRESS_B, 1500, 4 * BATCH);
        }
        CountDownLatch routeToB = new CountDownLatch(1);
        CountDownLatch bConnected = new CountDownLatch(1);
        nodeB = node(deviceB, event -> {
            if (event instanceof VpnEvent.PeerConnected) {
                bConnected.countDown();
            }
        }).build();
        nodeB.start();
        nodeA = node(deviceA, event -> {
            if (event instanceof VpnEvent.RouteOwnerChanged change && change.newOwner().isPresent()
                    && change.range().equals(IpRange.host(ADDRESS_B.inetAddress()))) {
                routeToB.countDown();
            }
        }).peer("127.0.0.1:" + nodeB.listenAddress().getPort()).build();
        nodeA.start();
        if (!routeToB.await(CONNECT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                || !bConnected.await(CONNECT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("the two nodes did not connect within " + CONNECT_TIMEOUT);
        }
        Losses probe = new Losses();
        sendBatch(1, probe);
        if (probe.lostPackets != 0) {
            throw new IllegalStateException("a probe packet did not go through");
        }
    }

    private VpnNode.Builder node(TunDevice dev, io.vpncloud.api.VpnListener listener) {
        return VpnNode.builder().password("packet-path-benchmark").algorithm(algorithm).listen("127.0.0.1:0")
                .device(dev).listener(listener);
    }

    @TearDown(Level.Trial)
    public void stopNodes() {
        nodeA.close();
        nodeB.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void forwardBatch(Losses losses) throws IOException, InterruptedException {
        sendBatch(BATCH, losses);
    }

    private void sendBatch(int packets, Losses losses) throws IOException, InterruptedException {
        if (device == DeviceKind.COUNTING) {
            deliveredTarget += packets;
            countingA.release(packets);
            long delivered = countingB.awaitDelivered(deliveredTarget,
                    TimeUnit.MILLISECONDS.toNanos(LOSS_TIMEOUT_MILLIS));
            losses.lostPackets += deliveredTarget - delivered;
            deliveredTarget = delivered;
        } else {
            for (int i = 0; i < packets; i++) {
                memoryA.inject(packet);
            }
            Duration lossTimeout = Duration.ofMillis(LOSS_TIMEOUT_MILLIS);
            for (int i = 0; i < packets; i++) {
                Optional<byte[]> received = memoryB.receive(lossTimeout);
                if (received.isEmpty()) {
                    losses.lostPackets += packets - i;
                    return;
                }
            }
        }
    }
}
