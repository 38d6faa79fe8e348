package io.vpncloud.cli;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.PeerAddress;
import io.vpncloud.api.TunDevice;
import io.vpncloud.api.TunDeviceConfig;
import io.vpncloud.core.CommandHealthCheck;
import io.vpncloud.core.NodeStatus;
import io.vpncloud.core.VpnNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one node from a {@link CliConfig} with everything around it that the reference does: the device scripts
 * ({@code --ifup}, {@code --ifdown}), the hooks, the stats file and the pid file, in the reference's order.
 */
public final class NodeRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeRunner.class);

    private final CliConfig config;
    private final Optional<TunDevice> givenDevice;
    private final Duration statsInterval;
    private HookRunner hooks;
    private volatile VpnNode node; // read by the hook thread for IFNAME and CLAIMS
    private StatsFileWriter stats;
    private StatsdSender statsd;
    private BeaconExchange beacons;
    private boolean closed;

    /** Runs on a TUN device created through the TUN provider on the class path (needs root or CAP_NET_ADMIN). */
    public NodeRunner(CliConfig config) {
        this(config, Optional.empty(), StatsFileWriter.DEFAULT_INTERVAL);
    }

    /**
     * Runs on the given device (for tests and demos without root), writing the stats file and sending to statsd
     * every {@code statsInterval} (the reference does both once a minute).
     */
    NodeRunner(CliConfig config, Optional<TunDevice> device, Duration statsInterval) {
        this.config = config;
        this.givenDevice = device;
        this.statsInterval = statsInterval;
    }

    /**
     * The node builder for a configuration: keys, peers, claims, timers, the forwarding mode and the TUN or TAP
     * device.
     *
     * @throws IllegalArgumentException when the node rejects a value (the message names it)
     */
    public static VpnNode.Builder builder(CliConfig config) {
        VpnNode.Builder builder = VpnNode.builder();
        CliConfig.Crypto crypto = config.crypto();
        crypto.password().ifPresent(builder::password);
        crypto.privateKey().ifPresent(builder::privateKey);
        crypto.publicKey().ifPresent(builder::publicKey);
        crypto.trustedKeys().forEach(builder::trustedKey);
        crypto.algorithms().forEach(builder::algorithm);
        builder.listen(config.listen());
        config.peers().forEach(builder::peer);
        config.claims().forEach(builder::claim);
        builder.autoClaim(config.autoClaim());
        builder.peerTimeout(config.peerTimeout());
        config.keepalive().ifPresent(builder::keepalive);
        builder.spreadFlows(config.spreadFlows());
        config.healthCheck().ifPresent(health -> builder.healthCheck(
                new CommandHealthCheck(health.command(), health.timeout()), health.interval(), health.timeout(),
                health.rise(), health.fall()));
        config.advertiseAddresses().forEach(builder::advertiseAddress);
        CliConfig.Device device = config.device();
        builder.device(new TunDeviceConfig(device.name(), device.ip(), 0, device.fixRpFilter(), device.offload(),
                device.type()));
        builder.mode(config.mode());
        builder.switchTimeout(config.switchTimeout());
        return builder;
    }

    /**
     * Starts the node, then runs {@code device_setup}, {@code --ifup}, {@code device_configured}, writes the pid
     * file, starts the stats file and runs {@code vpn_started}.
     *
     * @throws IOException when the device or socket cannot be opened, or the pid file cannot be written
     */
    public synchronized void start() throws IOException {
        hooks = new HookRunner(config.hooks(), this::interfaceName, this::claimsOf);
        VpnNode.Builder builder = builder(config).listener(hooks);
        givenDevice.ifPresent(builder::device);
        VpnNode built = builder.build();
        built.start();
        node = built;
        LOG.info("node {} listening on {}, device {}", node.nodeId(), node.listenAddress(), interfaceName());
        hooks.fire(HookEvent.DEVICE_SETUP, Map.of());
        config.device().ifup().ifPresent(command -> runScript("ifup", command, interfaceName()));
        hooks.fire(HookEvent.DEVICE_CONFIGURED, Map.of());
        if (config.pidFile().isPresent()) {
            writePidFile(config.pidFile().get());
        }
        if (config.statsFile().isPresent()) {
            stats = new StatsFileWriter(config.statsFile().get(), node::status, config.peerTimeout(),
                    InstantSource.system());
            stats.start(statsInterval);
        }
        if (config.statsd().isPresent()) {
            statsd = new StatsdSender(config.statsd().get(), node::status);
            statsd.start(statsInterval);
        }
        dropPrivileges();
        if (config.beacon().enabled()) {
            // After the drop, as the reference: beacon files and commands never run as root when --user is given.
            beacons = new BeaconExchange(config.beacon(), this::ownAddresses, node::connect, InstantSource.system());
            beacons.start();
        }
        hooks.fire(HookEvent.VPN_STARTED, Map.of());
    }

    /**
     * {@code --user} / {@code --group}, at the point the reference drops them: the device, the socket, the pid
     * file and the stats file are open. The pid file is handed to the user, as the reference's daemon mode does
     * (removing it at the end needs a directory the user may write to; a failure is logged).
     */
    private void dropPrivileges() throws IOException {
        if (config.user().isEmpty() && config.group().isEmpty()) {
            return;
        }
        if (config.pidFile().isPresent()) {
            Path pidFile = config.pidFile().get();
            if (config.user().isPresent()) {
                Files.setAttribute(pidFile, "unix:uid", config.user().get().id());
            }
            Files.setAttribute(pidFile, "unix:gid", config.group().orElse(config.user().orElseThrow()).gid());
        }
        PrivilegeDrop.apply(config.user(), config.group());
        LOG.info("running as {}", PrivilegeDrop.describe(config.user(), config.group()));
    }

    /** The running node; only after {@link #start()}. */
    public synchronized VpnNode node() {
        return node;
    }

    /**
     * Stops gracefully: {@code vpn_shutdown}, CLOSE to every peer, {@code --ifdown}, and removes the pid file.
     * Safe to call more than once and after a failed start.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (node != null) {
            String ifname = interfaceName();
            hooks.fire(HookEvent.VPN_SHUTDOWN, Map.of());
            if (stats != null) {
                stats.close();
            }
            if (statsd != null) {
                statsd.close();
            }
            if (beacons != null) {
                beacons.close();
            }
            node.close();
            config.device().ifdown().ifPresent(command -> runScript("ifdown", command, ifname));
            config.pidFile().ifPresent(NodeRunner::deletePidFile);
        }
        if (hooks != null) {
            hooks.close();
        }
    }

    /**
     * Where peers can reach this node, for its beacon: the advertised addresses, then the socket's unless it is the
     * wildcard address (which the reference stores too, but which means the loading host itself).
     */
    private List<String> ownAddresses() {
        List<String> own = new ArrayList<>(config.advertiseAddresses());
        InetSocketAddress listen = node.listenAddress();
        if (!listen.getAddress().isAnyLocalAddress()) {
            String host = listen.getAddress().getHostAddress();
            own.add((host.contains(":") ? "[" + host + "]" : host) + ":" + listen.getPort());
        }
        return own;
    }

    private String interfaceName() {
        VpnNode current = node;
        return current != null ? current.device().name() : "";
    }

    private List<IpRange> claimsOf(PeerAddress address) {
        VpnNode current = node;
        if (current == null) {
            return List.of(); // an event during start, before the node is assigned
        }
        for (NodeStatus.Peer peer : current.status().peers()) {
            if (peer.address().equals(address)) {
                return peer.claims();
            }
        }
        return List.of();
    }

    /** Runs {@code sh -c command} with {@code IFNAME} set and waits for it, as the reference does with ifup/ifdown. */
    private static void runScript(String what, String command, String ifname) {
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", command).inheritIO();
        builder.environment().put("IFNAME", ifname);
        LOG.debug("running {}: {}", what, command);
        try {
            int status = builder.start().waitFor();
            if (status != 0) {
                LOG.error("{} script returned with error {}", what, status);
            }
        } catch (IOException e) {
            LOG.error("failed to run {} script {}: {}", what, command, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void writePidFile(Path file) throws IOException {
        Files.writeString(file, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
    }

    private static void deletePidFile(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot remove pid file {}: {}", file, e.getMessage());
        }
    }
}
