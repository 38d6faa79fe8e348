package io.vpncloud.cli.system;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Network namespaces for system tests: one namespace {@code vcst-NODE} per node, each with {@code lo} up and one
 * veth interface {@code veth0} (address {@code 10.214.0.N/24}) whose other end is a port of a bridge in a namespace
 * of its own, {@code vcst-br}. Nothing is created in the test's own namespace, so no interface of the host changes
 * and no test packet can leave.
 * <p>
 * Creating them first removes every {@code vcst-*} namespace left by an aborted run (with the processes in them);
 * {@link #close()} removes them again. A lock file keeps two runs on one machine from meeting.
 */
final class NetworkNamespaces implements AutoCloseable {
    static final String PREFIX = "vcst-";
    private static final String BRIDGE_NAMESPACE = PREFIX + "br";
    private static final String BRIDGE = "br0";
    private static final String NODE_INTERFACE = "veth0";
    private static final String UNDERLAY_NETWORK = "10.214.0.";
    private static final int UNDERLAY_PREFIX_LENGTH = 24;
    private static final Pattern NODE_NAME = Pattern.compile("[a-z][a-z0-9-]{0,11}");
    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(10);
    private static final Duration LOCK_LIMIT = Duration.ofMinutes(5);
    private static final Duration PROCESS_EXIT_LIMIT = Duration.ofSeconds(5);

    private final HostLock lock;
    private final Map<String, String> addresses = new LinkedHashMap<>();

    private NetworkNamespaces(HostLock lock) {
        this.lock = lock;
    }

    /**
     * Creates a namespace for each node, with underlay addresses 10.214.0.1, .2, ... in the order given.
     *
     * @param nodes short names ({@code server-a}); the namespace is {@code vcst-NAME}
     */
    static NetworkNamespaces create(List<String> nodes) throws IOException, InterruptedException {
        for (String node : nodes) {
            if (!NODE_NAME.matcher(node).matches()) {
                throw new IllegalArgumentException("node names are 1 to 12 of [a-z0-9-], not '" + node + "'");
            }
        }
        HostLock lock = HostLock.acquire(Path.of(System.getProperty("java.io.tmpdir"), "vcst.lock"), LOCK_LIMIT);
        NetworkNamespaces namespaces = new NetworkNamespaces(lock);
        try {
            removeNamespaces(leftovers());
            namespaces.createBridge();
            for (int i = 0; i < nodes.size(); i++) {
                namespaces.createNode(nodes.get(i), UNDERLAY_NETWORK + (i + 1));
            }
            return namespaces;
        } catch (RuntimeException | Error e) {
            namespaces.closeAfterFailure(e);
            throw e;
        }
    }

    /** The namespace of a node. */
    String namespace(String node) {
        requireNode(node);
        return PREFIX + node;
    }

    /** The node's underlay address, without prefix length. */
    String address(String node) {
        requireNode(node);
        return addresses.get(node);
    }

    /** The nodes, in the order of their addresses. */
    List<String> nodes() {
        return List.copyOf(addresses.keySet());
    }

    /** The command line that runs {@code command} in the node's namespace. */
    List<String> inNamespace(String node, List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace(node)));
        full.addAll(command);
        return full;
    }

    /** Runs a command in the node's namespace and waits for it, at most {@code limit}. */
    CommandResult run(String node, Duration limit, String... command) {
        return Commands.run(limit, inNamespace(node, List.of(command)));
    }

    /** Stops every process in the namespaces, removes them (the veth pairs and the bridge go with them). */
    @Override
    public void close() throws IOException {
        // A test stopped by its time limit arrives here interrupted; the clean-up must run all the same.
        boolean interrupted = Thread.interrupted();
        try {
            List<String> existing = leftovers();
            List<String> ours = new ArrayList<>();
            addresses.keySet().forEach(node -> ours.add(PREFIX + node));
            ours.add(BRIDGE_NAMESPACE);
            removeNamespaces(ours.stream().filter(existing::contains).toList());
        } finally {
            lock.close();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void closeAfterFailure(Throwable failure) {
        try {
            close();
        } catch (IOException | RuntimeException | Error e) {
            failure.addSuppressed(e);
        }
    }

    private void requireNode(String node) {
        if (!addresses.containsKey(node)) {
            throw new IllegalArgumentException("no namespace for node '" + node + "', only " + addresses.keySet());
        }
    }

    private void createBridge() {
        Commands.runOrFail(COMMAND_LIMIT, "ip", "netns", "add", BRIDGE_NAMESPACE);
        Commands.runOrFail(COMMAND_LIMIT, "ip", "-n", BRIDGE_NAMESPACE, "link", "set", "lo", "up");
        Commands.runOrFail(COMMAND_LIMIT, "ip", "-n", BRIDGE_NAMESPACE, "link", "add", BRIDGE, "type", "bridge");
        Commands.runOrFail(COMMAND_LIMIT, "ip", "-n", BRIDGE_NAMESPACE, "link", "set", BRIDGE, "up");
    }

    private void createNode(String node, String address) {
        String namespace = PREFIX + node;
        String bridgePort = "v-" + node;
        // Recorded first, so that close() removes the namespace even when a later step fails.
        addresses.put(node, address);
        Commands.runOrFail(COMMAND_LIMIT, "ip", "netns", "add", namespace);
        Commands.runOrFail(COMMAND_LIMIT, "ip", "-n", namespace, "link", "set", "lo", "up");
        Commands.runOrFail(COMMAND_LIMIT, "ip", "-n", namespace, "link", "add", NODE_INTERFACE, "type", "veth",
                "peer", "name", bridgePort, "netns", BRIDGE_NAMESPACE);
        Commands.runOrFail(COMMAND_LIMIT, "ip", "-n", BRIDGE_NAMESPACE, "link", "set", bridgePort, "master", BRIDGE,
                "up");
        Commands.runOrFail(COMMAND_LIMIT, "ip", "-n", namespace, "addr", "add",
                address + "/" + UNDERLAY_PREFIX_LENGTH, "dev", NODE_INTERFACE);
        Commands.runOrFail(COMMAND_LIMIT, "ip", "-n", namespace, "link", "set", NODE_INTERFACE, "up");
    }

    /** The {@code vcst-*} namespaces that exist now. */
    private static List<String> leftovers() {
        List<String> found = new ArrayList<>();
        for (String line : Commands.runOrFail(COMMAND_LIMIT, "ip", "netns", "list").output().split("\n")) {
            String name = line.strip().split("\\s+")[0];
            if (name.startsWith(PREFIX)) {
                found.add(name);
            }
        }
        return Collections.unmodifiableList(found);
    }

    /**
     * Kills the processes in the namespaces and deletes them. Processes go first: a namespace whose processes
     * still run outlives its deletion, and with it its interfaces.
     */
    private static void removeNamespaces(List<String> namespaces) {
        for (String namespace : namespaces) {
            killProcessesIn(namespace);
        }
        for (String namespace : namespaces) {
            Commands.runOrFail(COMMAND_LIMIT, "ip", "netns", "del", namespace);
        }
    }

    private static void killProcessesIn(String namespace) {
        String pids = Commands.runOrFail(COMMAND_LIMIT, "ip", "netns", "pids", namespace).output();
        List<ProcessHandle> processes = pids.lines().map(String::strip).filter(line -> !line.isEmpty())
                .map(Long::parseLong).flatMap(pid -> ProcessHandle.of(pid).stream()).toList();
        processes.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle process : processes) {
            try {
                process.onExit().get(PROCESS_EXIT_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                throw new AssertionError("process " + process.pid() + " in " + namespace + " did not stop", e);
            }
        }
    }
}
