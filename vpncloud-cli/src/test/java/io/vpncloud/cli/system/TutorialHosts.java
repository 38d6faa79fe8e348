package io.vpncloud.cli.system;

import io.vpncloud.cli.TestFiles;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Hosts on which a system test types an operator's shell commands word for word, as on machines of their own: each
 * host has a network namespace of {@link NetworkNamespaces} and its own PID, mount and UTS namespaces, so that
 * {@code hostname} prints the host's name, the other hosts' names resolve through the host's {@code /etc/hosts}, and
 * {@code killall}, {@code pgrep} and {@code pidof} see only the host's own processes. Commands find {@code vpncloud}
 * in a directory put first on the {@code PATH}.
 * <p>
 * Each host is held open by an anchor, {@code unshare --pid --fork --kill-child --mount-proc --uts}, whose child is
 * the PID 1 of the host; commands enter the host with {@code nsenter}. Closing kills the anchors, with them every
 * process of the hosts, and removes the network namespaces.
 */
final class TutorialHosts implements AutoCloseable {
    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(10);
    private static final Duration ANCHOR_LIMIT = Duration.ofSeconds(10);
    /** The tutorial's VPN network. */
    static final String OVERLAY = "10.0.0.0/24";

    private final NetworkNamespaces namespaces;
    private final Path directory;
    private final String path;
    private final Map<String, Process> anchors = new LinkedHashMap<>();
    private final Map<String, Long> initPids = new LinkedHashMap<>();
    private final List<BackgroundProcess> processes = new ArrayList<>();
    private final Map<String, Integer> runsPerProcess = new LinkedHashMap<>();

    private TutorialHosts(NetworkNamespaces namespaces, Path directory, Path commandDirectory) {
        this.namespaces = namespaces;
        this.directory = directory;
        this.path = commandDirectory + ":" + System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    }

    /**
     * Creates the hosts, each named as given (its host name and the name the others know it by).
     *
     * @param scenario         a name for the log directory under {@code target/system-tests/}
     * @param commandDirectory where {@code vpncloud} is, put first on the hosts' {@code PATH}
     */
    static TutorialHosts create(String scenario, List<String> hosts, Path commandDirectory)
            throws IOException, InterruptedException {
        requireTools();
        Path directory = SystemTestEnvironment.outputDirectory().resolve(scenario);
        TestFiles.deleteRecursively(directory);
        Files.createDirectories(directory);
        NetworkNamespaces namespaces = NetworkNamespaces.create(hosts);
        TutorialHosts created = new TutorialHosts(namespaces, directory, commandDirectory);
        try {
            Path hostsFile = directory.resolve("hosts");
            StringBuilder lines = new StringBuilder("127.0.0.1 localhost\n");
            for (String host : hosts) {
                lines.append(namespaces.address(host)).append(' ').append(host).append('\n');
            }
            Files.writeString(hostsFile, lines, StandardCharsets.UTF_8);
            for (String host : hosts) {
                created.startAnchor(host, hostsFile);
            }
            return created;
        } catch (IOException | RuntimeException | Error e) {
            created.close();
            throw e;
        }
    }

    /**
     * Fails the test unless the tools of the hosts and of the tutorial are installed: where the system tests can run
     * (root, /dev/net/tun), a missing tool is an error, not a reason to skip; .ci/run installs them.
     */
    private static void requireTools() {
        Map<String, String> packageOf = new LinkedHashMap<>();
        packageOf.put("unshare", "util-linux");
        packageOf.put("nsenter", "util-linux");
        packageOf.put("mount", "mount");
        packageOf.put("hostname", "hostname");
        packageOf.put("sysctl", "procps");
        packageOf.put("pgrep", "procps");
        packageOf.put("pidof", "procps or sysvinit-utils");
        packageOf.put("killall", "psmisc");
        packageOf.put("socat", "socat");
        packageOf.put("dpkg-deb", "dpkg");
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> tool : packageOf.entrySet()) {
            if (!onPath(tool.getKey())) {
                missing.add(tool.getKey() + " (" + tool.getValue() + ")");
            }
        }
        if (!missing.isEmpty()) {
            throw new AssertionError("missing tools: " + String.join(", ", missing) + "; .ci/run installs them");
        }
    }

    private static boolean onPath(String tool) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, tool))) {
                return true;
            }
        }
        return false;
    }

    private void startAnchor(String host, Path hostsFile) throws IOException, InterruptedException {
        // No ARP answers for addresses of other interfaces, and overlay addresses unreachable without the TUN
        // device: overlay traffic cannot take the underlay.
        String setup = "hostname " + host + " && mount --bind " + hostsFile + " /etc/hosts"
                + " && sysctl -qw net.ipv4.conf.all.arp_ignore=1"
                + " && ip route add unreachable " + OVERLAY + " metric 4096"
                + " && echo ready && exec sleep infinity";
        Process anchor = new ProcessBuilder(namespaces.inNamespace(host, List.of("unshare", "--pid", "--fork",
                "--kill-child", "--mount-proc", "--uts", "sh", "-c", setup)))
                .redirectErrorStream(true).redirectInput(Commands.NO_INPUT).start();
        anchors.put(host, anchor);
        BufferedReader output = new BufferedReader(new InputStreamReader(anchor.getInputStream(),
                StandardCharsets.UTF_8));
        String first = output.readLine();
        if (!"ready".equals(first)) {
            anchor.waitFor(ANCHOR_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("cannot set up host " + host + " (unshare, hostname, mount from util-linux and "
                    + "coreutils): " + first);
        }
        // ip netns exec replaces itself with unshare, whose only child is the host's PID 1.
        long init = anchor.children().findFirst().orElseThrow(() -> new AssertionError(
                "the anchor of host " + host + " has no child")).pid();
        initPids.put(host, init);
    }

    /** The command line that runs a shell command on the host. */
    private List<String> onHost(String host, String shellCommand) {
        Long init = initPids.get(host);
        if (init == null) {
            throw new IllegalArgumentException("no host '" + host + "', only " + initPids.keySet());
        }
        return List.of("nsenter", "--target", Long.toString(init), "--net", "--mount", "--uts", "--pid", "--",
                "env", "PATH=" + path, "bash", "-c", shellCommand);
    }

    /** Runs a shell command on the host and waits for it, at most 10 s. */
    CommandResult run(String host, String shellCommand) {
        return Commands.run(COMMAND_LIMIT, onHost(host, shellCommand));
    }

    /** Starts a long-running shell command on the host, its output going to a log named after {@code name}. */
    BackgroundProcess start(String host, String name, String shellCommand) throws IOException {
        String fullName = host + "-" + name;
        int run = runsPerProcess.merge(fullName, 1, Integer::sum);
        BackgroundProcess process = BackgroundProcess.start(fullName, run, onHost(host, shellCommand),
                directory.resolve(fullName + "-" + run + ".log"));
        processes.add(process);
        return process;
    }

    /** The host's underlay address, as the other hosts' {@code /etc/hosts} names it. */
    String address(String host) {
        return namespaces.address(host);
    }

    /** The log of a process started with {@link #start}, its first run. */
    Path log(String host, String name) {
        return directory.resolve(host + "-" + name + "-1.log");
    }

    /** The state and the end of the log of every process, for failure messages. */
    String diagnostics() {
        StringBuilder text = new StringBuilder("logs in " + directory + "\n");
        for (BackgroundProcess process : processes) {
            text.append(process.describe()).append('\n');
        }
        return text.toString();
    }

    @Override
    public void close() throws IOException {
        for (Process anchor : anchors.values()) {
            anchor.destroyForcibly();
        }
        for (BackgroundProcess process : processes) {
            process.close();
        }
        namespaces.close();
    }
}
