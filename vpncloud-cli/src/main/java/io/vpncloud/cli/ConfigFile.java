package io.vpncloud.cli;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the reference's YAML config file (kebab-case keys, as {@code vpncloud --config FILE} takes it):
 *
 * <pre>
 * device: { type: tun, name: vpncloud%d, path: /dev/net/tun, fix-rp-filter: false }
 * ip: 10.0.0.1/24
 * crypto: { password: mysecret }      # or private-key, public-key, trusted-keys: [..], algorithms: [..]
 * listen: 3210
 * peers: [ server-b:3210 ]
 * peer-timeout: 300                   # also 0.5 or 500ms
 * keepalive: ~
 * spread-flows: false
 * health-check: ~                     # a shell command; also health-interval, -timeout, -rise, -fall
 * claims: [ 10.0.1.0/24 ]
 * auto-claim: true
 * beacon: { store: ~, load: ~, interval: 3600, password: ~ }
 * statsd: { server: ~, prefix: ~ }
 * user: ~, group: ~, switch-timeout: 300, port-forwarding: true
 * ifup: ..., ifdown: ..., hook: ..., hooks: { peer_connected: ... }
 * pid-file: ..., stats-file: ..., mode: normal, advertise-addresses: [ .. ]
 * </pre>
 *
 * YAML's null ({@code ~}, {@code null} or nothing) leaves a key unset, at every level, as in the reference's own
 * template. Unknown keys are errors, as in the reference. Every problem of a file is reported at once, each with its
 * line, so that a file is fixed in one go.
 */
public final class ConfigFile {

    private final String label;
    private final List<String> problems = new ArrayList<>();

    private ConfigFile(String label) {
        this.label = label;
    }

    /** Reads and checks a config file; errors name the file, the line and the key. */
    static ConfigLayer read(Path file) throws UsageException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UsageException("--config: cannot read " + file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new UsageException("--config: cannot read " + file + ": permission denied");
        } catch (IOException e) {
            String why = Files.isDirectory(file) ? "it is a directory" : e.toString();
            throw new UsageException("--config: cannot read " + file + ": " + why);
        }
        return parse(text, file.toString());
    }

    /**
     * Parses config file text; {@code label} names the file in errors.
     *
     * @throws UsageException with one line per problem, {@code LABEL:LINE: KEY: what is wrong}
     */
    static ConfigLayer parse(String yaml, String label) throws UsageException {
        // The core schema reads ~ and null as null and true/false as booleans, as the reference's YAML library.
        LoadSettings settings = LoadSettings.builder().setLabel(label).setSchema(new CoreSchema()).build();
        Optional<Node> document;
        try {
            document = new Compose(settings).composeString(yaml);
        } catch (YamlEngineException e) {
            throw new UsageException(label + ": not valid YAML: " + e.getMessage().replace('\n', ' '));
        }
        ConfigLayer layer = new ConfigLayer();
        if (document.isEmpty() || isNull(document.get())) {
            return layer;
        }
        ConfigFile file = new ConfigFile(label);
        file.entries("the top level", "", document.get(), (key, value) -> file.topLevel(layer, key, value));
        if (!file.problems.isEmpty()) {
            throw new UsageException(String.join("\n", file.problems));
        }
        return layer;
    }

    private void topLevel(ConfigLayer layer, String key, Node value) throws UsageException {
        switch (key) {
            case "device" -> entries(key, key + ".", value, (k, v) -> device(layer, k, v));
            case "crypto" -> entries(key, key + ".", value, (k, v) -> crypto(layer, k, v));
            case "beacon" -> entries(key, key + ".", value, (k, v) -> beacon(layer, k, v));
            case "statsd" -> entries(key, key + ".", value, (k, v) -> statsd(layer, k, v));
            case "hooks" -> entries(key, key + ".", value, (k, v) -> hook(layer, k, v));
            case "ip" -> layer.ip = OptionValues.interfaceAddress(key, text(key, value));
            case "advertise-addresses" -> layer.advertiseAddresses.addAll(list(key, value));
            case "ifup" -> layer.ifup = text(key, value);
            case "ifdown" -> layer.ifdown = text(key, value);
            case "listen" -> layer.listen = OptionValues.listen(key, text(key, value));
            case "peers" -> {
                for (String peer : list(key, value)) {
                    layer.peers.add(OptionValues.peer(key, peer));
                }
            }
            case "peer-timeout" -> layer.peerTimeout = OptionValues.duration(key, text(key, value));
            case "keepalive" -> layer.keepalive = OptionValues.duration(key, text(key, value));
            case "spread-flows" -> layer.spreadFlows = bool(key, value);
            case "health-check" -> layer.healthCheck = OptionValues.nonBlank(key, text(key, value));
            case "health-interval" -> layer.healthInterval = OptionValues.duration(key, text(key, value));
            case "health-timeout" -> layer.healthTimeout = OptionValues.duration(key, text(key, value));
            case "health-rise" -> layer.healthRise = OptionValues.healthCount(key, "rise", text(key, value));
            case "health-fall" -> layer.healthFall = OptionValues.healthCount(key, "fall", text(key, value));
            case "switch-timeout" -> layer.switchTimeout = OptionValues.switchTimeout(key, text(key, value));
            case "mode" -> layer.mode = OptionValues.mode(key, text(key, value));
            case "claims" -> {
                for (String claim : list(key, value)) {
                    layer.claims.add(OptionValues.range(key, claim));
                }
            }
            case "auto-claim" -> layer.autoClaim = bool(key, value);
            case "port-forwarding" -> {
                if (bool(key, value)) {
                    layer.warnings.add(label + ": port-forwarding is not implemented by vpncloud-java (no UPnP)");
                }
            }
            case "pid-file" -> layer.pidFile = Path.of(OptionValues.nonBlank(key, text(key, value)));
            case "stats-file" -> layer.statsFile = Path.of(OptionValues.nonBlank(key, text(key, value)));
            case "user" -> layer.user = Account.user(key, text(key, value));
            case "group" -> layer.group = Account.group(key, text(key, value));
            case "hook" -> layer.hook = OptionValues.nonBlank(key, text(key, value));
            default -> throw new UsageException("unknown key '" + key + "'");
        }
    }

    private void device(ConfigLayer layer, String key, Node value) throws UsageException {
        switch (key) {
            case "device.type" -> layer.deviceType = OptionValues.deviceType(key, text(key, value));
            case "device.name" -> layer.deviceName = OptionValues.deviceName(key, text(key, value));
            case "device.path" -> {
                if (!text(key, value).equals("/dev/net/tun")) {
                    throw new UsageException(key + ": only /dev/net/tun is supported by vpncloud-java");
                }
            }
            case "device.fix-rp-filter" -> layer.fixRpFilter = bool(key, value);
            case "device.offload" -> layer.offload = bool(key, value);
            default -> throw new UsageException("unknown key '" + key + "'");
        }
    }

    private void crypto(ConfigLayer layer, String key, Node value) throws UsageException {
        switch (key) {
            case "crypto.password" -> layer.password = text(key, value);
            case "crypto.private-key" -> layer.privateKey = OptionValues.privateKey(key, text(key, value));
            case "crypto.public-key" -> layer.publicKey = OptionValues.publicKey(key, text(key, value));
            case "crypto.trusted-keys" -> {
                for (String trusted : list(key, value)) {
                    layer.trustedKeys.add(OptionValues.publicKey(key, trusted));
                }
            }
            case "crypto.algorithms" -> {
                for (String algorithm : list(key, value)) {
                    layer.algorithms.add(OptionValues.algorithm(key, algorithm));
                }
            }
            default -> throw new UsageException("unknown key '" + key + "'");
        }
    }

    private void beacon(ConfigLayer layer, String key, Node value) throws UsageException {
        switch (key) {
            case "beacon.store" -> layer.beaconStore = OptionValues.nonBlank(key, text(key, value));
            case "beacon.load" -> layer.beaconLoad = OptionValues.nonBlank(key, text(key, value));
            case "beacon.interval" -> layer.beaconInterval = OptionValues.duration(key, text(key, value));
            case "beacon.password" -> layer.beaconPassword = text(key, value);
            default -> throw new UsageException("unknown key '" + key + "'");
        }
    }

    private void statsd(ConfigLayer layer, String key, Node value) throws UsageException {
        switch (key) {
            case "statsd.server" -> layer.statsdServer = OptionValues.hostAndPort(key, text(key, value));
            case "statsd.prefix" -> layer.statsdPrefix = OptionValues.nonBlank(key, text(key, value));
            default -> throw new UsageException("unknown key '" + key + "'");
        }
    }

    /** One entry of {@code hooks:}, {@code hooks.EVENT: SCRIPT}. */
    private static void hook(ConfigLayer layer, String key, Node value) throws UsageException {
        String name = key.substring("hooks.".length());
        HookEvent event = HookEvent.byName(name).orElseThrow(() -> new UsageException(key
                + ": unknown event (events: " + HookEvent.names() + ")"));
        layer.addEventHook(event, OptionValues.nonBlank(key, text(key, value)));
    }

    /** Handles one key of a mapping with a value that is not null. */
    @FunctionalInterface
    private interface EntryHandler {
        /**
         * @param key   the full key for messages ({@code crypto.password})
         * @param value the value node
         */
        void handle(String key, Node value) throws UsageException;
    }

    /**
     * Calls {@code handler} for every key of the mapping {@code node} whose value is not null, recording each
     * problem with its line and going on with the next key.
     *
     * @param what   the mapping's name for messages
     * @param prefix put before each key for messages ({@code crypto.})
     */
    private void entries(String what, String prefix, Node node, EntryHandler handler) {
        if (isNull(node)) {
            return;
        }
        if (!(node instanceof MappingNode mapping)) {
            problem(node, what + " must be a mapping of keys to values, not " + describe(node));
            return;
        }
        Set<String> seen = new HashSet<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
                problem(tuple.getKeyNode(), what + ": keys must be text, not " + describe(tuple.getKeyNode()));
                continue;
            }
            String key = prefix + keyNode.getValue();
            if (!seen.add(key)) {
                problem(keyNode, key + ": given twice");
                continue;
            }
            if (isNull(tuple.getValueNode())) {
                continue;
            }
            try {
                handler.handle(key, tuple.getValueNode());
            } catch (UsageException e) {
                problem(keyNode, e.getMessage());
            }
        }
    }

    private void problem(Node node, String message) {
        int line = node.getStartMark().map(mark -> mark.getLine() + 1).orElse(0);
        problems.add(label + ":" + line + ": " + message);
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    /** A scalar as text: strings, numbers ({@code listen: 3210}, {@code peer-timeout: 0.5}) and booleans. */
    private static String text(String key, Node value) throws UsageException {
        if (value instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        throw new UsageException(key + " must be a single value, not " + describe(value));
    }

    private static boolean bool(String key, Node value) throws UsageException {
        if (value instanceof ScalarNode scalar && Tag.BOOL.equals(scalar.getTag())) {
            return Boolean.parseBoolean(scalar.getValue().toLowerCase(java.util.Locale.ROOT));
        }
        throw new UsageException(key + " must be true or false, not " + describe(value));
    }

    /** A list of scalars, without nulls; a single scalar counts as a list of one. */
    private static List<String> list(String key, Node value) throws UsageException {
        if (!(value instanceof SequenceNode sequence)) {
            return List.of(text(key, value));
        }
        List<String> texts = new ArrayList<>();
        for (Node item : sequence.getValue()) {
            if (!isNull(item)) {
                texts.add(text(key, item));
            }
        }
        return texts;
    }

    private static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return "'" + ((ScalarNode) node).getValue() + "'";
    }
}
