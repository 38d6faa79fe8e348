package io.vpncloud.core;

import io.vpncloud.api.HealthCheck;
import io.vpncloud.api.HostResolver;
import io.vpncloud.api.IpRange;
import io.vpncloud.api.NodeId;
import io.vpncloud.api.PeerAddress;
import io.vpncloud.api.TunDevice;
import io.vpncloud.api.TunDeviceConfig;
import io.vpncloud.api.TunDeviceProvider;
import io.vpncloud.api.UdpSocketProvider;
import io.vpncloud.api.VpnListener;
import io.vpncloud.core.crypto.Algorithm;
import io.vpncloud.core.crypto.Identity;
import io.vpncloud.core.wire.Base62;
import io.vpncloud.core.wire.MalformedMessageException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A VPN node speaking the VpnCloud 2.x protocol, embedded in this process.
 *
 * <pre>{@code
 * VpnNode node = VpnNode.builder()
 *         .password("mysecret")
 *         .listen(3210)
 *         .peer("server-b.example:3210")
 *         .device(new TunDeviceConfig("vpncloud%d", Optional.of(IpRange.parse("10.0.0.1/24")), 0, false))
 *         .listener(event -> log.info("{}", event))
 *         .build();
 * node.start();
 * ...
 * node.close();   // tells the peers (CLOSE), so they fail over at once
 * }</pre>
 */
public final class VpnNode implements AutoCloseable {

    private final NodeEngine engine;

    private VpnNode(NodeConfig config) {
        this.engine = new NodeEngine(config);
    }

    /**
     * A builder with the reference's defaults: port 3210, peer timeout 300 s, AES-128/AES-256/ChaCha20.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A socket provider for a plain JDK {@link java.nio.channels.DatagramChannel}: one datagram per system call, no
     * segmentation offload, available everywhere. For {@link Builder#socketProvider} when the platform's own socket
     * is not wanted.
     *
     * @return the provider
     */
    public static UdpSocketProvider jdkSocketProvider() {
        return new io.vpncloud.core.net.JdkUdpSocketProvider();
    }

    /**
     * This node's id (random, new for every node object).
     *
     * @return the id
     */
    public NodeId nodeId() {
        return engine.nodeId();
    }

    /**
     * Opens the device (unless one was given) and the UDP socket, and starts the node's threads (data, control, and those for listeners, health checks and names).
     *
     * @throws IOException when the device or the socket cannot be opened; the message says what to do
     */
    public void start() throws IOException {
        engine.start();
    }

    /**
     * The bound UDP address; only after {@link #start()}.
     *
     * @return the local address with the port the system chose
     */
    public InetSocketAddress listenAddress() {
        return engine.listenAddress();
    }

    /**
     * The device this node uses; only after {@link #start()}.
     *
     * @return the device
     */
    public TunDevice device() {
        return engine.device();
    }

    /**
     * Connects to a peer now (it is not reconnected if it goes away, unlike configured peers).
     *
     * @param peer the peer's UDP address
     */
    public void connect(PeerAddress peer) {
        engine.connect(peer);
    }

    /** Runs one round of the timers on the control thread now; for tests that drive time with their own clock. */
    void tickNow() {
        engine.tickNow();
    }

    /**
     * A view of the peers, claims and counters.
     *
     * @return a new snapshot
     */
    public NodeStatus status() {
        return engine.status();
    }

    /** Graceful stop: sends CLOSE to every peer so that they fail over at once, then stops and closes the device. */
    @Override
    public void close() {
        engine.stop(true);
    }

    /**
     * Abrupt stop, as if the process had been killed: nothing is sent to the peers, which notice the silence only
     * after their peer timeout. Meant for tests and demos of failover.
     */
    public void crash() {
        engine.stop(false);
    }

    /**
     * Collects the options of a node. Every setter validates its argument at once and names the option in the
     * error; {@link #build()} checks the combination.
     */
    public static final class Builder {
        private Identity identity;
        private String identityOption;
        private final List<byte[]> trustedKeys = new ArrayList<>();
        private final Set<Algorithm> algorithms = EnumSet.noneOf(Algorithm.class);
        private InetSocketAddress listen = new InetSocketAddress(3210);
        private final List<String> peers = new ArrayList<>();
        private final List<IpRange> claims = new ArrayList<>();
        private boolean autoClaim = true;
        private Duration peerTimeout = Duration.ofSeconds(300);
        private Duration keepalive;
        private TunDevice device;
        private TunDeviceConfig deviceConfig = TunDeviceConfig.defaults();
        private final List<VpnListener> listeners = new ArrayList<>();
        private InstantSource clock = InstantSource.system();
        private Duration tick;
        private Duration rotationInterval = Duration.ofSeconds(120);
        private HealthCheckSettings healthCheck;
        private HostResolver resolver = HostResolver.system();
        private final List<PeerAddress> advertiseAddresses = new ArrayList<>();
        private int maxPendingHandshakes = 256;
        private boolean spreadFlows;
        private ForwardingMode mode = ForwardingMode.NORMAL;
        private Duration switchTimeout = Duration.ofSeconds(300);

        private Builder() {
        }

        /**
         * The shared password; the signing key is derived from it, and nodes with the same password trust each other.
         *
         * @param password the password, as the reference's {@code --password}
         * @return this builder
         */
        public Builder password(String password) {
            requireNonNull("password", password);
            if (password.isBlank()) {
                throw new IllegalArgumentException("password must not be blank");
            }
            setIdentity("password", Identity.fromPassword(password));
            return this;
        }

        /**
         * The base62 private key (as {@code vpncloud genkey} prints it); use with {@link #trustedKey}.
         *
         * @param base62 the private key
         * @return this builder
         */
        public Builder privateKey(String base62) {
            setIdentity("privateKey", Identity.fromPrivateKey(decodeKey("privateKey", base62)));
            return this;
        }

        /**
         * The base62 public key belonging to the private key; optional, checked against it in {@link #build()}.
         *
         * @param base62 the public key
         * @return this builder
         */
        public Builder publicKey(String base62) {
            byte[] key = decodeKey("publicKey", base62);
            if (identity != null && !java.util.Arrays.equals(identity.publicKey(), key)) {
                throw new IllegalArgumentException("publicKey does not belong to the private key: " + base62);
            }
            expectedPublicKey = key;
            return this;
        }

        private byte[] expectedPublicKey;

        /**
         * A public key (base62) to accept handshakes from; repeatable. Default: only the own public key.
         *
         * @param base62 a public key
         * @return this builder
         */
        public Builder trustedKey(String base62) {
            trustedKeys.add(decodeKey("trustedKey", base62));
            return this;
        }

        /**
         * An allowed algorithm by name ({@code aes128}, {@code aes256}, {@code chacha20}, {@code plain}); repeatable.
         *
         * @param name the algorithm's name
         * @return this builder
         */
        public Builder algorithm(String name) {
            requireNonNull("algorithm", name);
            try {
                algorithms.add(Algorithm.parse(name));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("algorithm: unknown name '" + name
                        + "' (use aes128, aes256, chacha20 or plain)");
            }
            return this;
        }

        /**
         * Listens on all interfaces at this UDP port (0 picks a free one).
         *
         * @param port the UDP port, 0 to 65535
         * @return this builder
         */
        public Builder listen(int port) {
            if (port < 0 || port > MAX_PORT) {
                throw new IllegalArgumentException("listen: port must be 0..65535, not " + port);
            }
            listen = new InetSocketAddress(port);
            return this;
        }

        /**
         * Listens at {@code [ADDR:]PORT}, as the reference's {@code --listen}.
         *
         * @param addressAndPort a port, or an address and a port
         * @return this builder
         */
        public Builder listen(String addressAndPort) {
            requireNonNull("listen", addressAndPort);
            listen = HostPort.parseListen(addressAndPort);
            return this;
        }

        /**
         * Listens at this socket address.
         *
         * @param address the local address
         * @return this builder
         */
        public Builder listen(InetSocketAddress address) {
            requireNonNull("listen", address);
            listen = address;
            return this;
        }

        /**
         * A peer {@code host:port} to connect to, and reconnect to whenever it is lost; repeatable.
         *
         * @param hostAndPort a host name or address and a port
         * @return this builder
         */
        public Builder peer(String hostAndPort) {
            requireNonNull("peer", hostAndPort);
            if (HostPort.parse("peer", hostAndPort).port() == 0) {
                throw new IllegalArgumentException("peer: port 0 is not a port to connect to, in '"
                        + hostAndPort + "'");
            }
            peers.add(hostAndPort.trim());
            return this;
        }

        /**
         * A range this node claims, such as {@code 10.0.0.1/32}; repeatable.
         *
         * @param range an address or range, IPv4 or IPv6
         * @return this builder
         */
        public Builder claim(String range) {
            requireNonNull("claim", range);
            try {
                claims.add(IpRange.parse(range));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("claim: " + e.getMessage());
            }
            return this;
        }

        /**
         * A range this node claims; repeatable.
         *
         * @param range the range
         * @return this builder
         */
        public Builder claim(IpRange range) {
            requireNonNull("claim", range);
            claims.add(range);
            return this;
        }

        /**
         * Whether the device's IPv4 address is claimed as /32 (default: true).
         *
         * @param autoClaim false to claim only the configured ranges
         * @return this builder
         */
        public Builder autoClaim(boolean autoClaim) {
            this.autoClaim = autoClaim;
            return this;
        }

        /**
         * How long a silent peer is kept (default 300 s). Sub-second values work between Java nodes; reference
         * peers are told the value rounded up to whole seconds.
         *
         * @param timeout positive, at most 65535 s
         * @return this builder
         */
        public Builder peerTimeout(Duration timeout) {
            requireDuration("peerTimeout", timeout, MAX_PEER_TIMEOUT);
            peerTimeout = timeout;
            return this;
        }

        /**
         * How often this node sends its NodeInfo to the peers (default derived from the peer timeout).
         *
         * @param interval positive, at most 65535 s
         * @return this builder
         */
        public Builder keepalive(Duration interval) {
            requireDuration("keepalive", interval, MAX_PEER_TIMEOUT);
            keepalive = interval;
            return this;
        }

        /**
         * Uses this device; it is closed with the node.
         *
         * @param device the device
         * @return this builder
         */
        public Builder device(TunDevice device) {
            requireNonNull("device", device);
            this.device = device;
            return this;
        }

        /**
         * Creates the device at start through the first available {@link io.vpncloud.api.TunDeviceProvider}.
         *
         * @param config what to create the device with
         * @return this builder
         */
        public Builder device(TunDeviceConfig config) {
            requireNonNull("device", config);
            this.device = null;
            this.deviceConfig = config;
            return this;
        }

        /**
         * Creates the device at start with this provider instead of looking one up through {@link java.util.ServiceLoader}.
         *
         * @param provider the provider
         * @return this builder
         */
        public Builder deviceProvider(TunDeviceProvider provider) {
            requireNonNull("deviceProvider", provider);
            this.deviceProvider = provider;
            return this;
        }

        private TunDeviceProvider deviceProvider;

        /**
         * Opens the UDP socket with this provider instead of the first available one found through
         * {@link java.util.ServiceLoader}; {@link VpnNode#jdkSocketProvider()} turns segmentation offload off.
         *
         * @param provider the provider
         * @return this builder
         */
        public Builder socketProvider(UdpSocketProvider provider) {
            requireNonNull("socketProvider", provider);
            this.socketProvider = provider;
            return this;
        }

        private UdpSocketProvider socketProvider;

        /**
         * Receives events, on the node's event thread (see {@link VpnListener}); repeatable.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(VpnListener listener) {
            requireNonNull("listener", listener);
            listeners.add(listener);
            return this;
        }

        /**
         * The time source of all timers (default: the system clock).
         *
         * @param clock the time source
         * @return this builder
         */
        public Builder clock(InstantSource clock) {
            requireNonNull("clock", clock);
            this.clock = clock;
            return this;
        }

        /**
         * The control thread's timer period (default: 1 s, shorter when the timers are shorter).
         *
         * @param tick the period, positive
         * @return this builder
         */
        public Builder tick(Duration tick) {
            requireDuration("tick", tick, MAX_DURATION);
            this.tick = tick;
            return this;
        }

        /**
         * How often session keys are rotated (default 120 s, as the reference).
         *
         * @param interval the period, positive
         * @return this builder
         */
        public Builder rotationInterval(Duration interval) {
            requireDuration("rotationInterval", interval, MAX_DURATION);
            rotationInterval = interval;
            return this;
        }

        /**
         * While this check fails, the node withdraws its claims so that peers route to the next claimant. The check
         * runs every second on its own thread; a run over one second counts as failed; one failure withdraws, one
         * success restores. See {@link #healthCheck(HealthCheck, Duration, Duration, int, int)}.
         *
         * @param check the check
         * @return this builder
         */
        public Builder healthCheck(HealthCheck check) {
            return healthCheck(check, DEFAULT_HEALTH_INTERVAL, DEFAULT_HEALTH_INTERVAL, 1, 1);
        }

        /**
         * A health check with keepalived's {@code track_script} semantics: it runs every {@code interval} on its own
         * thread (never on a thread that carries packets); a run longer than {@code timeout} counts as failed; the
         * claims are withdrawn after {@code fall} consecutive failures and restored after {@code rise} consecutive
         * successes.
         *
         * @param check the check
         * @param interval how often it runs
         * @param timeout how long a run may take before it counts as failed
         * @param rise consecutive successes that restore the claims, at least 1
         * @param fall consecutive failures that withdraw the claims, at least 1
         * @return this builder
         */
        public Builder healthCheck(HealthCheck check, Duration interval, Duration timeout, int rise, int fall) {
            requireNonNull("healthCheck", check);
            requireDuration("healthCheck interval", interval, MAX_DURATION);
            requireDuration("healthCheck timeout", timeout, MAX_DURATION);
            if (rise < 1) {
                throw new IllegalArgumentException("healthCheck rise must be at least 1, not " + rise);
            }
            if (fall < 1) {
                throw new IllegalArgumentException("healthCheck fall must be at least 1, not " + fall);
            }
            healthCheck = new HealthCheckSettings(check, interval, timeout, rise, fall);
            return this;
        }

        private static final Duration DEFAULT_HEALTH_INTERVAL = Duration.ofSeconds(1);
        /** Peers are told the peer timeout in 16-bit seconds; a longer one could not be represented. */
        private static final Duration MAX_PEER_TIMEOUT = Duration.ofSeconds(65535);
        /** Longer durations gain nothing and would overflow the timers' nanosecond arithmetic. */
        private static final Duration MAX_DURATION = Duration.ofDays(365);
        /** See {@link #decodeKey}. */
        private static final int MAX_DROPPED_ZERO_BYTES = 2;
        private static final int MAX_PORT = 65535;

        /**
         * Resolves the host names of configured peers (default: the system's resolver). It runs on the node's
         * resolver thread; answers are cached and failures retried with exponential back-off up to a minute.
         *
         * @param resolver the resolver
         * @return this builder
         */
        public Builder resolver(HostResolver resolver) {
            requireNonNull("resolver", resolver);
            this.resolver = resolver;
            return this;
        }

        /**
         * An address ({@code host:port}) advertised to peers as where this node can be reached; repeatable.
         *
         * @param hostAndPort an address and port
         * @return this builder
         */
        public Builder advertiseAddress(String hostAndPort) {
            requireNonNull("advertiseAddress", hostAndPort);
            advertiseAddresses.add(PeerAddress.of(HostPort.resolve("advertiseAddress", hostAndPort)));
            return this;
        }

        /**
         * Cap on unfinished handshakes (default 256), against floods of init messages.
         *
         * @param max at least 1
         * @return this builder
         */
        public Builder maxPendingHandshakes(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxPendingHandshakes must be positive, not " + max);
            }
            maxPendingHandshakes = max;
            return this;
        }

        /**
         * Whether to spread flows over several peers that claim the same range (default: false). Off, all packets
         * for a range go to the claimant known longest, as the reference does, and the others stand by. On, each
         * flow (a TCP or UDP connection by its addresses and ports; other packets by their address pair) goes to
         * one claimant of the most specific matching range, chosen by rendezvous hashing: it stays there while the
         * claimants stay the same; when a claimant goes away only its flows move, and a new claimant takes only its
         * share. The claimants then all count as active (see {@link io.vpncloud.api.VpnEvent.RoleChanged}).
         *
         * @param spreadFlows whether to spread flows
         * @return this builder
         */
        public Builder spreadFlows(boolean spreadFlows) {
            this.spreadFlows = spreadFlows;
            return this;
        }

        /**
         * How packets from the device are forwarded (default {@link ForwardingMode#NORMAL}: a switch with a TAP
         * device, a router with a TUN device).
         *
         * @param mode the forwarding mode
         * @return this builder
         */
        public Builder mode(ForwardingMode mode) {
            requireNonNull("mode", mode);
            this.mode = mode;
            return this;
        }

        /**
         * How long a learned address is kept without a packet from it (default 300 s), in the modes that learn.
         *
         * @param timeout positive, at most 65535 s
         * @return this builder
         */
        public Builder switchTimeout(Duration timeout) {
            requireDuration("switchTimeout", timeout, MAX_PEER_TIMEOUT);
            this.switchTimeout = timeout;
            return this;
        }

        /**
         * Checks the combination of options and builds the (not yet started) node.
         *
         * @return the node
         * @throws IllegalArgumentException naming the missing or conflicting option
         */
        public VpnNode build() {
            return new VpnNode(toConfig());
        }

        /** The validated configuration. */
        NodeConfig toConfig() {
            if (identity == null) {
                throw new IllegalArgumentException("password or privateKey is required");
            }
            if (expectedPublicKey != null && !java.util.Arrays.equals(identity.publicKey(), expectedPublicKey)) {
                throw new IllegalArgumentException("publicKey does not belong to the private key");
            }
            if (keepalive != null && keepalive.compareTo(peerTimeout) >= 0) {
                throw new IllegalArgumentException("keepalive (" + keepalive + ") must be shorter than peerTimeout ("
                        + peerTimeout + ")");
            }
            List<byte[]> trusted = trustedKeys.isEmpty() ? List.of(identity.publicKey()) : trustedKeys;
            Set<Algorithm> algs = algorithms.isEmpty()
                    ? EnumSet.of(Algorithm.AES128, Algorithm.AES256, Algorithm.CHACHA20) : algorithms;
            if (tick != null && tick.compareTo(peerTimeout) >= 0) {
                throw new IllegalArgumentException("tick (" + tick + ") must be shorter than peerTimeout ("
                        + peerTimeout + ")");
            }
            Duration effectiveTick = tick != null ? tick : defaultTick();
            return new NodeConfig(identity, trusted, algs, listen, peers, claims, autoClaim, peerTimeout,
                    Optional.ofNullable(keepalive), Optional.ofNullable(device), deviceConfig,
                    Optional.ofNullable(deviceProvider), Optional.ofNullable(socketProvider), listeners, clock,
                    effectiveTick, rotationInterval, Optional.ofNullable(healthCheck), resolver, advertiseAddresses,
                    maxPendingHandshakes, spreadFlows, mode, switchTimeout);
        }

        /**
         * One second as the reference, but fine enough for short timers: a peer is declared dead on the first tick
         * after its timeout ran out, so the tick adds to every failover. A fiftieth of the timeout (and a quarter of
         * the keepalive) keeps that delay at 2 % of the timeout: 100 ms for the tutorial's 5 s.
         */
        private Duration defaultTick() {
            Duration fine = peerTimeout.dividedBy(50);
            if (keepalive != null && keepalive.dividedBy(4).compareTo(fine) < 0) {
                fine = keepalive.dividedBy(4);
            }
            Duration min = Duration.ofMillis(10);
            Duration second = Duration.ofSeconds(1);
            return fine.compareTo(second) > 0 ? second : fine.compareTo(min) < 0 ? min : fine;
        }

        private void setIdentity(String option, Identity id) {
            if (identity != null && !option.equals(identityOption)) {
                throw new IllegalArgumentException(option + " conflicts with " + identityOption + ": give only one");
            }
            identity = id;
            identityOption = option;
        }

        /**
         * A 32-byte key from its base62 text. The text form drops leading zero bytes, which are restored; but a
         * text that leaves more than {@link #MAX_DROPPED_ZERO_BYTES} of them to restore is a truncated or made-up
         * key (a random key starts with three zero bytes once in 16 million), as are the empty text and zero.
         */
        private static byte[] decodeKey(String option, String base62) {
            requireNonNull(option, base62);
            String text = base62.trim();
            // A private key does not belong in an error message, which may end up in a log.
            String shown = option.equals("privateKey") ? "the given text" : "'" + base62 + "'";
            byte[] minimal;
            try {
                minimal = Base62.decode(text);
            } catch (MalformedMessageException e) {
                throw new IllegalArgumentException(option + " is not a base62 key: " + shown + " (" + e.reason() + ")");
            }
            if (minimal.length == 0) {
                throw new IllegalArgumentException(option + " is empty or zero: " + shown + " is not a key");
            }
            if (minimal.length > Identity.KEY_LENGTH) {
                throw new IllegalArgumentException(option + " is too long for a " + Identity.KEY_LENGTH
                        + "-byte key: " + shown);
            }
            if (minimal.length < Identity.KEY_LENGTH - MAX_DROPPED_ZERO_BYTES) {
                throw new IllegalArgumentException(option + " is too short for a " + Identity.KEY_LENGTH
                        + "-byte key: " + shown + " (" + text.length() + " base62 digits)");
            }
            byte[] key = new byte[Identity.KEY_LENGTH];
            System.arraycopy(minimal, 0, key, key.length - minimal.length, minimal.length);
            return key;
        }

        private static void requireNonNull(String option, Object value) {
            if (value == null) {
                throw new IllegalArgumentException(option + " must not be null");
            }
        }

        /** Positive and at most {@code max}, so that no timer arithmetic overflows later. */
        private static void requireDuration(String option, Duration value, Duration max) {
            requireNonNull(option, value);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(option + " must be positive, not " + value);
            }
            if (value.compareTo(max) > 0) {
                throw new IllegalArgumentException(option + " is too long: " + value + " (at most " + max + ")");
            }
        }
    }

}
