package io.vpncloud.core;

import io.vpncloud.api.DeviceType;
import io.vpncloud.api.IpPackets;
import io.vpncloud.api.IpRange;
import io.vpncloud.api.NodeId;
import io.vpncloud.api.PeerAddress;
import io.vpncloud.api.TunDevice;
import io.vpncloud.api.UdpSocket;
import io.vpncloud.core.crypto.Algorithm;
import io.vpncloud.core.crypto.KeyRotation;
import io.vpncloud.core.crypto.SessionCipher;
import io.vpncloud.core.route.ClaimRouter;
import io.vpncloud.core.wire.NodeInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Runs the data path's real code - {@link SendPath}'s read, route lookup, encryption and batched send, and
 * {@link ReceivePath}'s receive, decryption, dispatch and device write - 20,000 times at start-up, so that
 * the JIT has compiled it before the first real packets. A fresh JVM otherwise runs the whole path apart from the
 * ciphers (warmed up on their own before) in the interpreter for the first ~200 packets, which made the first
 * pings through a freshly started pair two to four times as slow as warm ones.
 *
 * <p>The packets go between throw-away devices of the node's own device class where it has them
 * ({@link WarmUpDevices}; in-memory devices otherwise), through a pair of loopback sockets opened the same way as
 * the node's own socket, between two throw-away peers with a session cipher of the node's fastest algorithm: so
 * the very classes (and native calls) the real packets take are compiled, and no call site meets a new type later.
 * The node's device, socket, peers and counters are never touched. The send path runs on a thread of its own, as
 * in the node, and the whole warm-up in {@link #ROUNDS} rounds with new objects and threads ({@link #rounds}), so
 * that the JIT sees what a node's first real packets do. The starting thread waits for it before the data threads
 * start, once per JVM (the compiled code is the JVM's), bounded by a packet count and a time limit; it is skipped
 * for TAP devices, and turned off with {@code -Dvpncloud.datapath.warmup=false} ({@link #packets()}).
 */
final class DataPathWarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(DataPathWarmUp.class);
    /** The system property that turns the warm-up off ({@code false}); {@code true} is the default. */
    static final String PROPERTY = "vpncloud.datapath.warmup";
    /**
     * Packets: past the JIT's thresholds for the methods each packet calls once or twice (C2 at ~5,000 calls), which
     * it raises while its queue is long at start-up. With 6,000 the data path was still at C1's profiling tier when
     * the node went live, and the first 100 pings of a fresh pair were slower than with 20,000 in every round
     * measured (docs/BENCHMARKS.md).
     */
    static final int PACKETS = 20_000;
    /** Warm-up rounds ({@link #rounds}). */
    static final int ROUNDS = 2;
    /** At most this long, so that a slow or loaded machine does not start much later. */
    static final Duration TIME_LIMIT = Duration.ofMillis(1500);
    /** A NodeInfo and a keepalive after every this many packets. */
    private static final int CONTROL_EVERY = 64;
    /** An init message after every this many NodeInfos: fewer than the init queue takes from one sender (32). */
    private static final int INIT_EVERY = 4;
    private static final InetAddress SOURCE = address(192, 0, 2, 1);
    private static final InetAddress DESTINATION = address(192, 0, 2, 2);
    private static final InetAddress SOURCE6 = address6(0xfd00, 1);
    private static final InetAddress DESTINATION6 = address6(0xfd00, 2);
    /** An IPv6 router solicitation's addresses: link-local to all routers, which nobody claims. */
    private static final byte[] UNROUTABLE = IpPackets.echoRequest(address6(0xfe80, 1), address6(0xff02, 2), 1, 1,
            new byte[8]);
    /** An unroutable packet before every this many packets. */
    private static final int UNROUTABLE_EVERY = 16;
    /** How long the end of a warm-up waits for its send thread. */
    private static final Duration SEND_THREAD_END = Duration.ofSeconds(2);
    private static boolean done;
    private static Result last;

    /**
     * What a warm-up did: the packets sent, those that came out of the receiving device, the time it took, the
     * devices and the rounds run (fewer than {@link #ROUNDS} when the time limit ended it).
     */
    record Result(int sent, int delivered, Duration took, String devices, int rounds) {
    }

    /** Opens a UDP socket the way the node opens its own. */
    interface SocketOpener {
        UdpSocket open(InetSocketAddress listen) throws IOException;
    }

    private DataPathWarmUp() {
    }

    /**
     * How many packets the warm-up sends, from {@code -Dvpncloud.datapath.warmup=}: {@code true} or unset
     * {@value #PACKETS}, {@code false} none, or a number of packets (1 to 1,000,000).
     *
     * @throws IllegalArgumentException naming the property for any other value
     */
    static int packets() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.equalsIgnoreCase("true")) {
            return PACKETS;
        }
        if (value.equalsIgnoreCase("false")) {
            return 0;
        }
        try {
            int packets = Integer.parseInt(value);
            if (packets >= 1 && packets <= 1_000_000) {
                return packets;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new IllegalArgumentException("-D" + PROPERTY + "=" + value
                + ": must be true, false or a number of packets from 1 to 1000000");
    }

    /** The warm-up for a node starting with this device type and algorithm, unless it is off or already done. */
    static synchronized void onceFor(TunDevice device, Algorithm algorithm, NodeConfig config,
                                     SocketOpener sockets) {
        int packets = packets();
        if (done || packets == 0) {
            return;
        }
        if (device.type() != DeviceType.TUN) {
            LOG.debug("data path warm-up skipped: it drives a TUN path only");
            return;
        }
        done = true;
        try {
            Result result = rounds(() -> WarmUpDevices.like(device), algorithm, config, sockets, packets, TIME_LIMIT,
                    System::nanoTime);
            last = result;
            LOG.info("data path warmed up with {} packets in {} ms ({} rounds, {})", result.sent(),
                    result.took().toMillis(), result.rounds(), result.devices());
        } catch (IOException e) {
            LOG.info("data path warm-up skipped: {}", e.toString());
        } catch (RuntimeException e) {
            LOG.warn("data path warm-up failed; the node starts without it", e);
        }
    }

    /**
     * {@link #ROUNDS} warm-ups, each on a thread of its own with new devices, sockets, peers and session ciphers,
     * sharing the packets and the time limit. A node's first real packets are the first through its own new
     * objects and threads: a new session's cipher, a socket whose last sender is nobody, a thread whose
     * per-thread buffers are not made yet. Code compiled from a single warm-up has never seen such a first use
     * and compiles it out; the first real packet would then send the compiled path back to the interpreter in
     * the node's first second. From the second round on, those first uses are part of what the JIT has seen.
     * No round starts after {@code limit} (by {@code nanoClock}) has passed.
     */
    static Result rounds(Supplier<WarmUpDevices> devices, Algorithm algorithm, NodeConfig config,
                         SocketOpener sockets, int packets, Duration limit, LongSupplier nanoClock)
            throws IOException {
        long start = nanoClock.getAsLong();
        long deadline = start + limit.toNanos();
        Result total = new Result(0, 0, Duration.ZERO, "", 0);
        for (int round = 0; round < ROUNDS && nanoClock.getAsLong() - deadline < 0; round++) {
            Duration left = Duration.ofNanos(deadline - nanoClock.getAsLong());
            int share = packets / ROUNDS + (round < packets % ROUNDS ? 1 : 0);
            Result result = onNewThread(() -> run(devices.get(), algorithm, config.mode(), config.switchTimeout(),
                    config.spreadFlows(), sockets, share, left));
            total = new Result(total.sent() + result.sent(), total.delivered() + result.delivered(),
                    Duration.ofNanos(nanoClock.getAsLong() - start), result.devices(), round + 1);
        }
        return total;
    }

    /** A warm-up round, run on a new thread that the calling thread waits for. */
    private interface Round {
        Result run() throws IOException;
    }

    private static Result onNewThread(Round round) throws IOException {
        FutureTask<Result> task = new FutureTask<>(round::run);
        Thread thread = new Thread(task, "vpncloud-warm-up");
        thread.setDaemon(true);
        thread.start();
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** What the warm-up of this JVM did, if it ran. */
    static synchronized Optional<Result> lastRun() {
        return Optional.ofNullable(last);
    }

    /** Lets the next node's start warm up again; for tests, which start many nodes in one JVM. */
    static synchronized void forgetForTest() {
        done = false;
        last = null;
    }

    /**
     * Sends up to {@code packets} packets from the throw-away devices through the send path, a loopback socket pair
     * and the receive path back to the devices, one at a time as pings go, stopping after {@code timeLimit}; closes
     * the devices.
     */
    static Result run(WarmUpDevices devices, Algorithm algorithm, ForwardingMode mode, Duration switchTimeout,
                      boolean spreadFlows, SocketOpener sockets, int packets, Duration timeLimit) throws IOException {
        long start = System.nanoTime();
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        Thread sending = null;
        int[] counts = {0, 0};
        try (devices; UdpSocket sendSocket = sockets.open(loopback);
             UdpSocket receiveSocket = sockets.open(loopback)) {
            SecureRandom random = new SecureRandom();
            byte[] secret = new byte[32];
            random.nextBytes(secret);
            InstantSource clock = InstantSource.system();
            Peer receiver = peer(receiveSocket.localAddress(), algorithm, secret, true, random, clock);
            Peer sender = peer(sendSocket.localAddress(), algorithm, secret, false, random, clock);

            ClaimRouter<Peer> router = new ClaimRouter<>(peer -> peer.flowSeed);
            router.setClaims(receiver, List.of(IpRange.of(DESTINATION, 24), IpRange.of(DESTINATION6, 64)));
            TrafficCounters sendCounters = new TrafficCounters();
            SendPath send = new SendPath(devices.sending(), router, sendSocket, sendCounters, spreadFlows,
                    new Forwarding(DeviceType.TUN, mode, switchTimeout, sendCounters, clock.instant()));
            TrafficCounters receiveCounters = new TrafficCounters();
            ControlLoop nowhere = new ControlLoop(null, new ControlInbox(), new InitQueue(), new SendErrorInbox(),
                    clock, Duration.ofSeconds(1)); // never runs: what is handed over to it stays there and goes
            ReceivePath receive = new ReceivePath(receiveSocket, devices.receiving(), new OnePeer(sender), nowhere,
                    receiveCounters,
                    new Forwarding(DeviceType.TUN, mode, switchTimeout, receiveCounters, clock.instant()),
                    receiveSocket.localAddress(), send);
            // The send path runs on a thread of its own, as in the node: it reads, finds the device empty, sends
            // its batch and waits, and its code is compiled with those turns in it.
            sending = new Thread(send, "vpncloud-warm-up-send");
            sending.setDaemon(true);
            sending.start();
            try (Watchdog watchdog = new Watchdog(timeLimit.multipliedBy(2), sendSocket, receiveSocket, devices)) {
                turn(devices, receive, new ControlSender(sendSocket, sendCounters), sender, receiver,
                        receiveSocket.localAddress(), packets, start + timeLimit.toNanos(), counts);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                send.stop();
                devices.close(); // wakes the send thread
            }
        } finally {
            join(sending);
        }
        return new Result(counts[0], counts[1], Duration.ofNanos(System.nanoTime() - start), devices.toString(), 1);
    }

    /**
     * Sends the packets one at a time, as pings go, until {@code packets} are sent or the deadline passes: each
     * through the send thread, the loopback socket pair and the receive path back to the devices. Counts the
     * packets sent and delivered in {@code counts}.
     */
    private static void turn(WarmUpDevices devices, ReceivePath receive, ControlSender control, Peer sender,
                             Peer receiver, InetSocketAddress receiverAddress, int packets, long deadline,
                             int[] counts) throws IOException, InterruptedException {
        byte[][] mix = packetMix();
        NodeInfo info = NodeInfo.of(sender.nodeId, List.of(), List.of(IpRange.of(SOURCE, 24)),
                OptionalInt.empty(), List.of());
        int sent = 0;
        int delivered = 0;
        while (sent < packets && System.nanoTime() - deadline < 0) {
            if (sent % UNROUTABLE_EVERY == 0) {
                // Nobody claims it, so the send thread drops it and nothing arrives: as the kernel's own IPv6
                // multicast on a fresh device, which the send path meets first thing in a real node.
                devices.inject(UNROUTABLE);
            }
            devices.inject(mix[sent % mix.length]);
            sent++;
            receive.receiveAndHandle(); // waits for the datagram, writes it to the device
            if (!receive.nextReceiveWaits()) {
                receive.receiveAndHandle(); // finds nothing more and flushes the device, as the thread does
            }
            if (devices.takeDelivered()) {
                delivered++;
            }
            if (sent % CONTROL_EVERY == 0) {
                sendControl(control, receiver, sent, receiverAddress, info);
                receive.receiveAndHandle(); // a NodeInfo, handed to the control loop that never runs
                receive.receiveAndHandle(); // a keepalive
                if (sent % (CONTROL_EVERY * INIT_EVERY) == 0) {
                    receive.receiveAndHandle(); // an init message
                }
            }
        }
        counts[0] = sent;
        counts[1] = delivered;
    }

    /** Waits for the warm-up's send thread, which ends once its device is closed; never for long. */
    private static void join(Thread thread) {
        if (thread == null) {
            return;
        }
        try {
            thread.join(SEND_THREAD_END.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("data path warm-up: the send thread did not end within {} ms", SEND_THREAD_END.toMillis());
        }
    }

    /**
     * What else a receive thread sees among the data: a NodeInfo and a keepalive, and now and then an init message
     * (the receive code's branches for them are compiled too, so that the first real ones do not send the compiled
     * code back to the interpreter).
     */
    private static void sendControl(ControlSender control, Peer to, int sent, InetSocketAddress toAddress,
                                    NodeInfo info) {
        control.nodeInfo(to, info);
        control.keepalive(to);
        if (sent % (CONTROL_EVERY * INIT_EVERY) == 0) {
            control.init(new byte[]{(byte) 0xFF, 0, 0, 0, 1}, PeerAddress.of(toAddress));
        }
    }

    /**
     * The packets taken in turn: pings (with and without data), a full-size and a mid-size UDP packet, and an IPv6
     * ping.
     */
    private static byte[][] packetMix() {
        return new byte[][]{
                IpPackets.echoRequest(SOURCE, DESTINATION, 1, 1, new byte[56]),
                IpPackets.udp(SOURCE, 40000, DESTINATION, 5201, new byte[1400 - 28]),
                IpPackets.echoRequest(SOURCE, DESTINATION, 1, 2, new byte[0]),
                IpPackets.udp(SOURCE, 40000, DESTINATION, 5201, new byte[500]),
                IpPackets.echoRequest(SOURCE6, DESTINATION6, 1, 3, new byte[56]),
        };
    }

    private static Peer peer(InetSocketAddress at, Algorithm algorithm, byte[] secret, boolean high,
                             SecureRandom random, InstantSource clock) {
        SessionCipher cipher = SessionCipher.create(algorithm, secret, high, random);
        KeyRotation rotation = algorithm == Algorithm.PLAINTEXT ? null : new KeyRotation(cipher, high, random);
        NodeId id = NodeId.random();
        NodeInfo info = NodeInfo.of(id, List.of(), List.of(), OptionalInt.empty(), List.of());
        return new Peer(PeerAddress.of(at), id, cipher, rotation, info, clock.instant(), Duration.ofDays(1));
    }

    /** The receiving side's only peer. */
    private record OnePeer(Peer peer) implements PeerIndex {
        @Override
        public Peer peer(PeerAddress address) {
            return address.equals(peer.address) ? peer : null;
        }

        @Override
        public boolean inHandshake(PeerAddress address) {
            return false;
        }
    }

    /**
     * Closes the warm-up's sockets and devices if it is still running long after its time limit: a datagram lost
     * on loopback would otherwise leave the receive path waiting for it, and the node would never start.
     */
    private static final class Watchdog implements AutoCloseable {
        private final Thread thread;

        Watchdog(Duration after, AutoCloseable... closeables) {
            thread = new Thread(() -> {
                try {
                    Thread.sleep(after.toMillis());
                } catch (InterruptedException e) {
                    return; // the warm-up ended in time
                }
                LOG.warn("data path warm-up stuck after {} ms: closing its sockets and devices", after.toMillis());
                for (AutoCloseable closeable : closeables) {
                    try {
                        closeable.close();
                    } catch (Exception e) {
                        LOG.debug("closing {} failed: {}", closeable, e.toString());
                    }
                }
            }, "vpncloud-warm-up-watchdog");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() {
            thread.interrupt();
        }
    }

    /** The IPv6 address {@code prefix::host}. */
    private static InetAddress address6(int prefix, int host) {
        byte[] bytes = new byte[16];
        bytes[0] = (byte) (prefix >>> 8);
        bytes[1] = (byte) prefix;
        bytes[14] = (byte) (host >>> 8);
        bytes[15] = (byte) host;
        return byAddress(bytes);
    }

    private static InetAddress address(int a, int b, int c, int d) {
        return byAddress(new byte[]{(byte) a, (byte) b, (byte) c, (byte) d});
    }

    private static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // only for a wrong length
        }
    }
}
