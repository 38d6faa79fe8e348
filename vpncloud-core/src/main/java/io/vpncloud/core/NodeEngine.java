package io.vpncloud.core;

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
import io.vpncloud.core.crypto.TrustedKeys;
import io.vpncloud.core.net.JdkUdpSocket;
import io.vpncloud.core.route.ClaimRouter;
import io.vpncloud.core.wire.AlgorithmSpeed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Wires the parts of a running node: device, socket, control plane, the two data paths and the housekeeping
 * scheduler, and takes them down again.
 */
final class NodeEngine {
    private static final Logger LOG = LoggerFactory.getLogger(NodeEngine.class);
    private static final int SOCKET_BUFFER = 4 << 20;

    private final NodeConfig config;
    private final NodeId nodeId = NodeId.random();
    private final TrafficCounters counters = new TrafficCounters();
    private final ClaimRouter<Peer> router = new ClaimRouter<>();
    private TunDevice device;
    private UdpSocket socket;
    private ControlPlane control;
    private EventDispatcher events;
    private SendPath sendPath;
    private ReceivePath receivePath;
    private Thread sendThread;
    private Thread receiveThread;
    private ScheduledExecutorService housekeeping;
    private InetSocketAddress listenAddress;
    private boolean started;
    private boolean stopped;

    NodeEngine(NodeConfig config) {
        this.config = config;
    }

    NodeId nodeId() {
        return nodeId;
    }

    synchronized void start() throws IOException {
        if (started) {
            throw new IllegalStateException("node already started");
        }
        started = true;
        device = config.device().isPresent() ? config.device().get() : openDevice();
        try {
            socket = openSocket();
        } catch (IOException e) {
            closeQuietly(device);
            throw e;
        }
        listenAddress = socket.localAddress();
        List<IpRange> claims = ownClaims(device);
        SecureRandom random = new SecureRandom();
        List<AlgorithmSpeed> speeds = measuredSpeeds(config.algorithms());
        HandshakeContext context = new HandshakeContext(config.identity(), TrustedKeys.of(config.trustedKeys()),
                nodeId, speeds, random, () -> control.ownNodeInfo());
        events = new EventDispatcher(config.listeners(), "vpncloud-" + listenAddress.getPort() + "-events");
        control = new ControlPlane(config, nodeId, socket, counters, events, router, context, claims, random);
        sendPath = new SendPath(device, router, socket, counters);
        receivePath = new ReceivePath(socket, device, control, counters);
        String name = "vpncloud-" + listenAddress.getPort();
        receiveThread = new Thread(receivePath, name + "-receive");
        sendThread = new Thread(sendPath, name + "-send");
        receiveThread.start();
        sendThread.start();
        housekeeping = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, name + "-housekeeping"));
        long tickNanos = config.tick().toNanos();
        housekeeping.scheduleAtFixedRate(this::tick, 0, tickNanos, TimeUnit.NANOSECONDS);
        LOG.info("node {} listening on {} with device {}, claiming {}", nodeId, listenAddress, device.name(), claims);
    }

    /**
     * The speeds are measured once per set of algorithms and process: they describe the machine, and nodes started
     * by the hundred in one JVM (simulations) should not each spend the measurement time.
     */
    private static synchronized List<AlgorithmSpeed> measuredSpeeds(Set<Algorithm> algorithms) {
        return MEASURED.computeIfAbsent(EnumSet.copyOf(algorithms),
                set -> AlgorithmSpeeds.measure(List.copyOf(set)));
    }

    private static final Map<Set<Algorithm>, List<AlgorithmSpeed>> MEASURED = new HashMap<>();

    private void tick() {
        try {
            control.tick();
        } catch (RuntimeException e) {
            LOG.error("housekeeping failed", e);
        }
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
    private UdpSocket openSocket() throws IOException {
        if (config.socketProvider().isPresent()) {
            return config.socketProvider().get().bind(config.listen(), SOCKET_BUFFER);
        }
        for (UdpSocketProvider provider : ServiceLoader.load(UdpSocketProvider.class)) {
            if (provider.isAvailable()) {
                LOG.debug("UDP socket from provider {}", provider.name());
                return provider.bind(config.listen(), SOCKET_BUFFER);
            }
            LOG.debug("UDP socket provider {} is not available: {}", provider.name(), provider.unavailableReason());
        }
        return JdkUdpSocket.bind(config.listen(), SOCKET_BUFFER);
    }

    private List<IpRange> ownClaims(TunDevice dev) {
        List<IpRange> claims = new ArrayList<>(config.claims());
        if (config.autoClaim()) {
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
        control.connect(peer);
    }

    void tickNow() {
        requireStarted();
        control.tick();
    }

    NodeStatus status() {
        requireStarted();
        return control.status(listenAddress, counters);
    }

    /** Stops the node; {@code graceful} tells the peers first. Idempotent. */
    synchronized void stop(boolean graceful) {
        if (!started || stopped) {
            return;
        }
        stopped = true;
        housekeeping.shutdownNow();
        sendPath.stop();
        receivePath.stop();
        control.shutdown(graceful);
        events.close(); // delivers the last events (peers disconnected) before close() returns
        closeQuietly(socket);
        closeQuietly(device);
        join(sendThread);
        join(receiveThread);
        try {
            housekeeping.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
