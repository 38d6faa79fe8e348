package io.vpncloud.cli.system;

import io.vpncloud.cli.TestFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The stage of one system-test scenario: network namespaces for its nodes, and the processes started in them, each
 * its own JVM running {@code vpncloud.jar} as a user would, with {@code ip netns exec NS java -jar vpncloud.jar ...}.
 * Node names resolve to the underlay addresses through a hosts file, so nodes name their peers as in the tutorial
 * ({@code -c server-a}). Logs and hook events go to {@code target/system-tests/SCENARIO/}; {@link #diagnostics()}
 * collects them for failure messages. Closing kills every process and removes the namespaces.
 */
final class VpnTestbed implements AutoCloseable {
    static final String PASSWORD = "vcst-secret";
    static final Duration PEER_TIMEOUT = Duration.ofSeconds(5);
    static final Duration KEEPALIVE = Duration.ofSeconds(2);
    /** The tutorial's promise: after a crash, the other server answers within the peer timeout plus 2 s. */
    static final Duration CRASH_FAILOVER_LIMIT = PEER_TIMEOUT.plusSeconds(2);
    /** Bounds for what takes a few seconds (JVM start, handshakes), generous for a loaded machine. */
    private static final Duration CONNECT_LIMIT = Duration.ofSeconds(20);
    static final Duration ANSWER_LIMIT = Duration.ofSeconds(15);
    static final int VPN_PORT = 3210;
    /** The port of the tutorial's hostname server. */
    static final int HOSTNAME_PORT = 8000;
    /** Small heaps, one GC thread, no C2 compiler: several JVMs share two cores with the build. */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx64m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1");
    private static final Duration PING_LIMIT = Duration.ofSeconds(30);
    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(10);
    /** At most this many TCP connections per node in the diagnostics. */
    private static final int SOCKET_LINES = 120;

    private final Path directory;
    private final Path jar;
    private final Path hostsFile;
    private final NetworkNamespaces namespaces;
    private final List<BackgroundProcess> processes = new ArrayList<>();
    private final Map<String, Integer> runsPerProcess = new HashMap<>();

    private VpnTestbed(Path directory, Path jar, Path hostsFile, NetworkNamespaces namespaces) {
        this.directory = directory;
        this.jar = jar;
        this.hostsFile = hostsFile;
        this.namespaces = namespaces;
    }

    /**
     * Creates the namespaces of a scenario and an empty log directory for it.
     *
     * @param scenario a name for the log directory
     * @param nodes    the node names, which are also their host names
     */
    static VpnTestbed create(String scenario, List<String> nodes) throws IOException, InterruptedException {
        Path jar = SystemTestEnvironment.vpncloudJar();
        Path directory = SystemTestEnvironment.outputDirectory().resolve(scenario);
        TestFiles.deleteRecursively(directory);
        Files.createDirectories(directory);
        Path hostsFile = directory.resolve("hosts");
        NetworkNamespaces namespaces = NetworkNamespaces.create(nodes);
        try {
            writeHostsFile(hostsFile, namespaces);
        } catch (IOException | RuntimeException e) {
            namespaces.close();
            throw e;
        }
        return new VpnTestbed(directory, jar, hostsFile, namespaces);
    }

    /** The node names with their underlay addresses, for the nodes' {@code -Djdk.net.hosts.file}. */
    private static void writeHostsFile(Path file, NetworkNamespaces namespaces) throws IOException {
        StringBuilder hosts = new StringBuilder("127.0.0.1 localhost\n");
        for (String node : namespaces.nodes()) {
            hosts.append(namespaces.address(node)).append(' ').append(node).append('\n');
        }
        Files.writeString(file, hosts, StandardCharsets.UTF_8);
    }

    /**
     * Starts the {@code vpncloud} command in the node's namespace with the tutorial's password and timers
     * ({@code --peer-timeout 5 --keepalive 2}), recording its events in {@link #events(String)}.
     *
     * @param options the node's own options, such as {@code --ip 10.0.0.1 -c server-b}
     */
    BackgroundProcess startNode(String node, String... options) throws IOException {
        List<String> command = new ArrayList<>(javaCommand());
        command.addAll(List.of("-Djdk.net.hosts.file=" + hostsFile, "-jar", jar.toString(),
                "--password", PASSWORD,
                "--peer-timeout", Long.toString(PEER_TIMEOUT.toSeconds()),
                "--keepalive", Long.toString(KEEPALIVE.toSeconds()),
                "--hook", events(node).hookScript()));
        command.addAll(List.of(options));
        return start(node + "-node", namespaces.inNamespace(node, command));
    }

    /**
     * Starts the tutorial's hostname server in the node's namespace: {@code socat -U tcp-listen:8000,reuseaddr,fork
     * exec:hostname}, answering with the node's name instead of {@code hostname} (the namespaces share the machine's
     * host name). Its listen queue holds 128 connections rather than socat's 5, for tests that connect many times at
     * once.
     */
    BackgroundProcess startHostnameServer(String node) throws IOException {
        List<String> command = List.of("socat", "-U", "tcp-listen:" + HOSTNAME_PORT + ",reuseaddr,fork,backlog=128",
                "system:echo " + node);
        return start(node + "-hostname-server", namespaces.inNamespace(node, command));
    }

    /**
     * A hostname server for tests that connect from the same source ports again and again: as
     * {@link #startHostnameServer}, but it resets each connection ({@code linger=0}) a moment after answering instead
     * of closing it, so that it keeps no TIME_WAIT state that would refuse the next connection of the same flow.
     */
    BackgroundProcess startFlowHostnameServer(String node) throws IOException {
        List<String> command = List.of("socat", "-U",
                "tcp-listen:" + HOSTNAME_PORT + ",reuseaddr,fork,backlog=128,linger=0",
                "system:echo " + node + "; sleep 0.2");
        return start(node + "-hostname-server", namespaces.inNamespace(node, command));
    }

    /** Starts a stopped process again with the same command; its output goes to a new log file. */
    BackgroundProcess restart(BackgroundProcess stopped) throws IOException {
        if (stopped.isAlive()) {
            throw new IllegalStateException(stopped.label() + " still runs");
        }
        return start(stopped.name(), stopped.command());
    }

    private BackgroundProcess start(String name, List<String> command) throws IOException {
        int run = runsPerProcess.merge(name, 1, Integer::sum);
        BackgroundProcess process = BackgroundProcess.start(name, run, command,
                directory.resolve(name + "-" + run + ".log"));
        processes.add(process);
        return process;
    }

    private static List<String> javaCommand() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        return command;
    }

    /** The scenario's directory, for its logs and the files its nodes share. */
    Path directory() {
        return directory;
    }

    /** The events a node's hook scripts recorded, over all its runs. */
    HookEventLog events(String node) {
        return new HookEventLog(directory.resolve(node + "-events.txt"));
    }

    /** How other nodes see this node in their events: {@code 10.214.0.N:3210}. */
    String peerAddress(String node) {
        return namespaces.address(node) + ":" + VPN_PORT;
    }

    /** A probe of the hostname servers at {@code vpnAddress}, from the node's namespace. */
    HostnameProbe hostnameProbe(String fromNode, String vpnAddress) {
        return new HostnameProbe(namespaces, fromNode, vpnAddress, HOSTNAME_PORT, this::diagnostics);
    }

    /** {@code flows} TCP connections at a time to the hostname servers at {@code vpnAddress}, from source ports on. */
    FlowProbe flowProbe(String fromNode, String vpnAddress, int firstSourcePort, int flows) {
        return new FlowProbe(namespaces, fromNode, vpnAddress, HOSTNAME_PORT, firstSourcePort, flows,
                this::diagnostics);
    }

    /** Waits until {@code from} has connected to {@code peer} at least {@code times} times, as its events show. */
    void awaitConnection(String from, String peer, int times) throws InterruptedException {
        HookEventLog events = events(from);
        Polling.await(from + " to connect to " + peer + " (" + times + " times)", CONNECT_LIMIT,
                () -> events.count("peer_connected", peerAddress(peer)) >= times, this::diagnostics);
    }

    /** Waits until {@code from} has lost {@code peer} for {@code reason} (as its events show). */
    void awaitDisconnection(String from, String peer, String reason) throws InterruptedException {
        HookEventLog events = events(from);
        Polling.await(from + " to lose " + peer + " (" + reason + ")", CONNECT_LIMIT,
                () -> events.count("peer_disconnected", peerAddress(peer), reason) >= 1, this::diagnostics);
    }

    /**
     * Pings {@code address} from the node's namespace ({@code ping -c 1 -W 1}) until it answers, at most 30 s: the
     * mesh forms while the JVMs start. Returns how long that took.
     */
    Duration awaitPing(String from, String address) throws InterruptedException {
        CommandResult[] last = new CommandResult[1];
        return Polling.await("a ping from " + from + " to " + address + " to be answered", PING_LIMIT, () -> {
            last[0] = namespaces.run(from, Duration.ofSeconds(5), "ping", "-c", "1", "-W", "1", address);
            return last[0].succeeded();
        }, () -> "the last ping: " + last[0].describe() + "\n" + diagnostics());
    }

    /** Runs a command in the node's namespace, at most 10 s, and fails the test unless it succeeds. */
    CommandResult runOrFail(String node, String... command) {
        return namespaces.run(node, COMMAND_LIMIT, command).requireSuccess();
    }

    /**
     * Keeps overlay traffic off the underlay in the node's namespace: no ARP answers for addresses of other
     * interfaces ({@code arp_ignore=1}), and the overlay range unreachable unless a more specific route (the
     * device's) takes it.
     *
     * @param overlay the overlay range, such as {@code 10.0.0.0/24}
     */
    void isolateOverlay(String node, String overlay) {
        runOrFail(node, "sysctl", "-qw", "net.ipv4.conf.all.arp_ignore=1");
        runOrFail(node, "ip", "route", "add", "unreachable", overlay, "metric", "4096");
    }

    /** The namespace of a node, for commands that name another namespace ({@code ip link ... netns NS}). */
    String namespace(String node) {
        return namespaces.namespace(node);
    }

    /** Every process with the end of its log, and every node's hook events. */
    String diagnostics() {
        StringBuilder text = new StringBuilder("logs in " + directory + "\n");
        for (BackgroundProcess process : processes) {
            text.append(process.describe()).append('\n');
        }
        for (String node : namespaces.nodes()) {
            text.append(events(node).describe()).append('\n');
        }
        for (String node : namespaces.nodes()) {
            text.append(tcpConnections(node)).append('\n');
        }
        return text.toString();
    }

    /**
     * The node's TCP connections other than listening ones, at most {@link #SOCKET_LINES} of them: a connection
     * left over from an earlier round (in TIME_WAIT, say) can block the next one from the same port.
     */
    private String tcpConnections(String node) {
        CommandResult sockets = namespaces.run(node, COMMAND_LIMIT, "ss", "-tanH", "state", "all",
                "exclude", "listening");
        List<String> lines = sockets.output().lines().toList();
        return "--- TCP connections in " + node + " (" + lines.size() + "):\n"
                + String.join("\n", lines.subList(0, Math.min(lines.size(), SOCKET_LINES)));
    }

    /** Kills every process and removes the namespaces. */
    @Override
    public void close() throws IOException {
        processes.forEach(BackgroundProcess::close);
        namespaces.close();
    }

}
