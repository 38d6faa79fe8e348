package io.vpncloud.core;

import io.vpncloud.api.DeviceType;
import io.vpncloud.api.IpRange;
import io.vpncloud.api.NodeId;
import io.vpncloud.api.PeerAddress;
import io.vpncloud.api.TunDevice;
import io.vpncloud.api.TunDeviceProvider;
import io.vpncloud.api.UdpSocket;
import io.vpncloud.api.UdpSocketProvider;
import io.vpncloud.core.crypto.Algorithm;
import io.vpncloud.core.crypto.AlgorithmSpeeds;
import io.vpncloud.core.crypto.HandshakeContext;
import io.vpncloud.core.crypto.ProviderChoice;
import io.vpncloud.core.crypto.TrustedKeys;
import io.vpncloud.core.net.JdkUdpSocket;
import io.vpncloud.core.route.ClaimRouter;
import io.vpncloud.core.wire.AlgorithmSpeed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Wires the parts of a running node and takes them down again: the device and the socket; the two data threads
 * (send, receive); the control thread that owns the control plane; and the threads that run what may be slow (the
 * listeners' event thread, the health monitor, the name resolver). See docs/ARCHITECTURE.md.
 */
final class NodeEngine {
    private static final Logger LOG = LoggerFactory.getLogger(NodeEngine.class);
    private static final int SOCKET_BUFFER = 4 << 20;
    /**
     * Whether an idle node runs as one loop ({@link SendPath#leaveDeviceToReceiverWhenIdle}) where its socket can wait
     * for the device too; {@code -Dvpncloud.datapath.singleloop=false} keeps both data threads waiting on their own
     * (to compare the two in benchmarks).
     */
    private static final boolean SINGLE_LOOP_WHEN_IDLE =
            !"false".equals(System.getProperty("vpncloud.datapath.singleloop"));

    private final NodeConfig config;
    private final NodeId nodeId = NodeId.random();
    private final TrafficCounters counters = new TrafficCounters();
    private final ClaimRouter<Peer> router = new ClaimRouter<>(peer -> peer.flowSeed);
    private TunDevice device;
    private UdpSocket socket;
    private ControlPlane control;
    private EventDispatcher events;
    private SendPath sendPath;
    private ReceivePath receivePath;
    private Thread sendThread;
    private Thread receiveThread;
    private Thread controlThread;
    private ControlLoop loop;
    private AsyncResolver resolver;
    private HealthMonitor health;
    private InetSocketAddress listenAddress;
    private boolean started;
    private boolean stopped;

    NodeEngine(NodeConfig config) {
        this.config = config;
    }

    NodeId nodeId() {
        return nodeId;
    }

    private static void loadControlPlaneClass() {
        try {
            MethodHandles.lookup().ensureInitialized(ControlPlane.class);
        } catch (IllegalAccessException e) {
            throw new AssertionError("a class of this package is accessible here", e);
        }
    }

    synchronized void start() throws IOException {
        if (started) {
            throw new IllegalStateException("node already started");
        }
        started = true;
        ProviderChoice.checkOverride();
        boolean warmUp = DataPathWarmUp.packets() > 0; // a bad value fails the start before the port is taken
        device = config.device().isPresent() ? config.device().get() : openDevice();
        try {
            socket = openSocket(config.listen());
        } catch (IOException e) {
            closeQuietly(device);
            throw e;
        }
        listenAddress = socket.localAddress();
        List<IpRange> claims = ownClaims(device);
        SecureRandom random = new SecureRandom();
        List<AlgorithmSpeed> speeds = measuredSpeeds(config.algorithms());
        if (warmUp) {
            // Loaded first, the control plane is known as the receive path's second PeerIndex while the warm-up
            // compiles that path; loaded after, it would void the compiled code on the first real packet.
            loadControlPlaneClass();
            DataPathWarmUp.onceFor(device, fastest(speeds), config, this::openSocket);
        }
        HandshakeContext context = new HandshakeContext(config.identity(), TrustedKeys.of(config.trustedKeys()),
                nodeId, speeds, random, () -> control.ownNodeInfo());
        String name = "vpncloud-" + listenAddress.getPort();
        events = new EventDispatcher(config.listeners(), name + "-events");
        resolver = new AsyncResolver(config.resolver(), config.clock(), name + "-resolver", () -> loop.wake());
        Forwarding forwarding = new Forwarding(device.type(), config.mode(), config.switchTimeout(), counters,
                config.clock().instant());
        control = new ControlPlane(config, nodeId, socket, counters, events, router, forwarding, context, claims,
                random, resolver);
        loop = new ControlLoop(control, new ControlInbox(), new InitQueue(), new SendErrorInbox(), config.clock(),
                config.tick());
        sendPath = new SendPath(device, router, socket, counters, config.spreadFlows(), forwarding);
        receivePath = new ReceivePath(socket, device, control, loop, counters, forwarding, wakeAddress(listenAddress),
                sendPath);
        if (SINGLE_LOOP_WHEN_IDLE && socket.canAwaitWith(device)) {
            sendPath.leaveDeviceToReceiverWhenIdle(receivePath::wakeForDevice);
        }
        control.onPeerAdded(receivePath::peerAdded);
        loop.afterEachTick(receivePath::expireHeld);
        controlThread = new Thread(loop, name + "-control");
        receiveThread = new Thread(receivePath, name + "-receive");
        sendThread = new Thread(sendPath, name + "-send");
        controlThread.start();
        receiveThread.start();
        sendThread.start();
        if (config.healthCheck().isPresent()) {
            ControlPlane plane = control;
            health = new HealthMonitor(config.healthCheck().get(), name + "-health",
                    healthy -> loop.execute(() -> plane.healthChanged(healthy)));
            health.start();
        }
        LOG.info("node {} listening on {} with {} device {} in {} mode, claiming {}", nodeId, listenAddress,
                device.type(), device.name(), config.mode(), claims);
    }

    /**
     * The speeds are measured once per set of algorithms and process: they describe the machine, and nodes started
     * by the hundred in one JVM (simulations) should not each spend the measurement time. The AEAD providers are
     * chosen and their ciphers warmed up first, so that the first packets and the measurement run compiled code.
     */
    private static synchronized List<AlgorithmSpeed> measuredSpeeds(Set<Algorithm> algorithms) {
        return MEASURED.computeIfAbsent(EnumSet.copyOf(algorithms), set -> {
            ProviderChoice.prepareOnce(set);
            return AlgorithmSpeeds.measure(List.copyOf(set));
        });
    }

    private static final Map<Set<Algorithm>, List<AlgorithmSpeed>> MEASURED = new HashMap<>();

    /** The algorithm measured fastest here: the one sessions most likely agree on. */
    private static Algorithm fastest(List<AlgorithmSpeed> speeds) {
        if (speeds.isEmpty()) {
            return Algorithm.PLAINTEXT;
        }
        AlgorithmSpeed best = speeds.get(0);
        for (AlgorithmSpeed speed : speeds) {
            if (speed.speed() > best.speed()) {
                best = speed;
            }
        }
        return Algorithm.fromId(best.algorithmId());
    }

    private TunDevice openDevice() throws IOException {
        if (config.deviceProvider().isPresent()) {
            return config.deviceProvider().get().open(config.deviceConfig());
        }
        List<String> reasons = new ArrayList<>();
        for (TunDeviceProvider provider : ServiceLoader.load(TunDeviceProvider.class)) {
            if (provider.isAvailable()) {
                return provider.open(config.deviceConfig());
            }
            reasons.add(provider.name() + ": " + provider.unavailableReason());
        }
        throw new IOException(reasons.isEmpty()
                ? "no TUN device provider on the class path: add vpncloud-tun-linux, or give the node a device"
                : "no TUN device provider is available here (" + String.join("; ", reasons) + ")");
    }

    /** The configured provider's socket, else the first available provider's, else a JDK channel. */
    private UdpSocket openSocket(InetSocketAddress listen) throws IOException {
        if (config.socketProvider().isPresent()) {
            return config.socketProvider().get().bind(listen, SOCKET_BUFFER);
        }
        for (UdpSocketProvider provider : ServiceLoader.load(UdpSocketProvider.class)) {
            if (provider.isAvailable()) {
                LOG.debug("UDP socket from provider {}", provider.name());
                return provider.bind(listen, SOCKET_BUFFER);
            }
            LOG.debug("UDP socket provider {} is not available: {}", provider.name(), provider.unavailableReason());
        }
        return JdkUdpSocket.bind(listen, SOCKET_BUFFER);
    }

    /** Where a datagram to our own socket goes: the bound address, or loopback when bound to all interfaces. */
    private static InetSocketAddress wakeAddress(InetSocketAddress bound) {
        return bound.getAddress().isAnyLocalAddress()
                ? new InetSocketAddress(InetAddress.getLoopbackAddress(), bound.getPort()) : bound;
    }

    /** The explicit claims, and with a TUN device and auto-claim the device's IPv4 address (not with TAP). */
    private List<IpRange> ownClaims(TunDevice dev) {
        List<IpRange> claims = new ArrayList<>(config.claims());
        if (config.autoClaim() && dev.type() == DeviceType.TUN) {
            dev.address().ifPresent(address -> {
                IpRange host = IpRange.host(address.inetAddress());
                if (!claims.contains(host)) {
                    claims.add(host);
                }
            });
        }
        return claims;
    }

    synchronized InetSocketAddress listenAddress() {
        requireStarted();
        return listenAddress;
    }

    synchronized TunDevice device() {
        requireStarted();
        return device;
    }

    void connect(PeerAddress peer) {
        requireStarted();
        ControlPlane plane = control;
        loop.execute(() -> plane.connect(peer));
    }

    /** Runs one round of the timers on the control thread now and waits for it. */
    void tickNow() {
        requireStarted();
        loop.call(() -> {
            control.tick();
            return null;
        });
    }

    /** Asks the control thread for a snapshot of the node; waits for it. */
    NodeStatus status() {
        requireStarted();
        return loop.call(() -> control.status(listenAddress, counters));
    }

    /** Stops the node; {@code graceful} tells the peers first. Idempotent. */
    synchronized void stop(boolean graceful) {
        if (!started || stopped) {
            return;
        }
        stopped = true;
        if (health != null) {
            health.close();
        }
        sendPath.stop();
        receivePath.stop();
        loop.call(() -> {
            control.shutdown(graceful); // CLOSE to every peer, before the socket goes
            return null;
        });
        loop.stop();
        closeQuietly(socket);
        closeQuietly(device);
        join(sendThread);
        join(receiveThread);
        join(controlThread);
        resolver.close();
        events.close(); // delivers the last events (peers disconnected) before close() returns
        LOG.info("node {} stopped{}", nodeId, graceful ? "" : " abruptly");
    }

    private void requireStarted() {
        if (!started) {
            throw new IllegalStateException("node not started");
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("closing {} failed: {}", closeable, e.toString());
        }
    }
}
