package io.vpncloud.core;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.NodeId;
import io.vpncloud.api.VpnEvent;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A node on loopback UDP with an in-memory device, recording its events, for multi-node tests in one JVM.
 */
public final class TestNode implements AutoCloseable {
    public final String name;
    public final MemoryTunDevice device;
    public final VpnNode node;
    private final List<VpnEvent> history = new ArrayList<>();

    private TestNode(String name, MemoryTunDevice device, VpnNode.Builder builder) throws IOException {
        this.name = name;
        this.device = device;
        this.node = builder.device(device).listener(this::record).build();
        node.start();
    }

    /**
     * Starts a node.
     *
     * @param deviceAddress the device's address with prefix, e.g. {@code 10.0.0.1/24} (auto-claimed as /32)
     * @param configure     further options, such as peers and timers
     */
    public static TestNode start(String name, String deviceAddress, java.util.function.UnaryOperator<VpnNode.Builder> configure)
            throws IOException {
        MemoryTunDevice device = new MemoryTunDevice(name, IpRange.parse(deviceAddress));
        VpnNode.Builder builder = VpnNode.builder().password("test-password").listen("127.0.0.1:0");
        return new TestNode(name, device, configure.apply(builder));
    }

    /** Starts a node with an in-memory TAP device (Ethernet frames). */
    public static TestNode startTap(String name, java.util.function.UnaryOperator<VpnNode.Builder> configure)
            throws IOException {
        MemoryTunDevice device = MemoryTunDevice.tap(name);
        VpnNode.Builder builder = VpnNode.builder().password("test-password").listen("127.0.0.1:0");
        return new TestNode(name, device, configure.apply(builder));
    }

    /** Sends an Ethernet frame with {@code text} from this node's (TAP) device. */
    public void sendFrame(String destination, String source, String text) throws IOException, InterruptedException {
        device.inject(EthernetFrames.frame(destination, source, text));
    }

    /**
     * Waits for the next frame this node's (TAP) device gets and checks its text: a frame that should not have come
     * shows up as the wrong text, as long as a frame that must come is sent after it.
     */
    public void expectFrame(String text, Duration timeout) throws InterruptedException {
        byte[] frame = device.receive(timeout).orElseThrow(() -> new AssertionError(name + " got no frame, expected \""
                + text + "\""));
        if (!text.equals(EthernetFrames.text(frame))) {
            throw new AssertionError(name + " got \"" + EthernetFrames.text(frame) + "\", expected \"" + text + "\"");
        }
    }

    /** {@code 127.0.0.1:port} of this node, to give to others as a peer. */
    public String address() {
        return "127.0.0.1:" + node.listenAddress().getPort();
    }

    public NodeId id() {
        return node.nodeId();
    }

    /** How many events were recorded so far: a mark for {@link #awaitEvent(int, Duration, Predicate)}. */
    public int mark() {
        synchronized (history) {
            return history.size();
        }
    }

    /** The events recorded so far, in order. */
    public List<VpnEvent> events() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    /** Waits for an event matching {@code test} recorded at or after {@code mark}; fails after {@code timeout}. */
    public VpnEvent awaitEvent(int mark, Duration timeout, Predicate<VpnEvent> test) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (history) {
            int next = mark;
            while (true) {
                for (; next < history.size(); next++) {
                    if (test.test(history.get(next))) {
                        return history.get(next);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(name + ": no matching event within " + timeout + "; events: " + history);
                }
                TimeUnit.NANOSECONDS.timedWait(history, left);
            }
        }
    }

    /**
     * Waits until {@code condition} holds; it is checked again after every event of this node (and at least every
     * 50 ms, for changes that raise no event).
     */
    public void awaitCondition(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        // The condition is evaluated outside the lock: it may ask the node, which records events under its own lock.
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(name + ": not " + what + " within " + timeout);
            }
            synchronized (history) {
                TimeUnit.NANOSECONDS.timedWait(history, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            }
        }
    }

    /** Waits until this node is connected to {@code count} peers. */
    public void awaitPeers(int count, Duration timeout) throws InterruptedException {
        awaitCondition(timeout, "connected to " + count + " peers", () -> node.status().peers().size() == count);
    }

    /**
     * Waits until this node has sent {@code rounds} more rounds of control messages (keepalives or NodeInfo, one
     * per peer and round): time measured by the node's own timers rather than by the test's clock.
     */
    public void awaitControlRounds(int rounds, Duration timeout) throws InterruptedException {
        NodeStatus status = node.status();
        long target = status.traffic().controlPacketsOut() + (long) rounds * Math.max(1, status.peers().size());
        awaitCondition(timeout, "sending " + rounds + " rounds of control messages",
                () -> node.status().traffic().controlPacketsOut() >= target);
    }

    private void record(VpnEvent event) {
        synchronized (history) {
            history.add(event);
            history.notifyAll();
        }
    }

    /**
     * Until {@code other} routes {@code address} (this node's) here: connected peers can still drop what they send
     * this node before its claim reached them.
     */
    public void awaitRoutedBy(VpnNode other, String address, Duration timeout) throws InterruptedException {
        byte[] bytes = IpRange.parse(address).address();
        NodeId self = id();
        awaitCondition(timeout, "the other node routing " + address + " here", () -> other.status().claims().stream()
                .anyMatch(c -> c.active() && c.range().contains(bytes) && c.nodeId().equals(self)));
    }

    /** The peer that the node routes {@code address} to now, from its claim table. */
    public Optional<NodeId> routeOwner(String address) {
        byte[] bytes = IpRange.parse(address).address();
        return node.status().claims().stream()
                .filter(c -> c.active() && c.range().contains(bytes))
                .map(NodeStatus.Claim::nodeId)
                .findFirst();
    }

    /** Sends an IPv4/UDP packet with {@code text} from this node's device. */
    public void send(String source, String destination, String text) throws IOException, InterruptedException {
        device.inject(Ipv4Packets.udp(source, destination, text));
    }

    /** The next packet delivered to this node's device, if one arrives within {@code timeout}. */
    public Optional<byte[]> receive(Duration timeout) throws InterruptedException {
        return device.receive(timeout);
    }

    public void crash() {
        node.crash();
    }

    @Override
    public void close() {
        node.close();
    }

    @Override
    public String toString() {
        return name;
    }
}
