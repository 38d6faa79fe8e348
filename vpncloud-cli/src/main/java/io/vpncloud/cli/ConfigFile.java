package io.vpncloud.cli;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the reference's YAML config file (kebab-case keys, as {@code vpncloud --config FILE} takes it):
 *
 * <pre>
 * device: { type: tun, name: vpncloud%d, fix-rp-filter: false }
 * ip: 10.0.0.1/24
 * crypto: { password: mysecret }      # or private-key, public-key, trusted-keys: [..], algorithms: [..]
 * listen: 3210
 * peers: [ server-b:3210 ]
 * peer-timeout: 300                   # also 0.5 or 500ms
 * keepalive: 120
 * claims: [ 10.0.1.0/24 ]
 * auto-claim: true
 * ifup: ..., ifdown: ..., hook: ..., hooks: { peer_connected: ... }
 * pid-file: ..., stats-file: ..., mode: normal, advertise-addresses: [ .. ]
 * </pre>
 *
 * Unknown keys are errors, as in the reference; keys for features vpncloud-java lacks are errors too, so that a
 * setting is never silently ignored.
 */
public final class ConfigFile {

    private final String label;

    private ConfigFile(String label) {
        this.label = label;
    }

    /** Reads and checks a config file; errors name the file and the key. */
    static ConfigLayer read(Path file) throws UsageException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("--config: cannot read " + file + ": " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    /** Parses config file text; {@code label} names the file in errors. */
    static ConfigLayer parse(String yaml, String label) throws UsageException {
        Object document;
        try {
            document = new Load(LoadSettings.builder().setLabel(label).build()).loadFromString(yaml);
        } catch (YamlEngineException e) {
            throw new UsageException(label + ": not valid YAML: " + e.getMessage().replace('\n', ' '));
        }
        ConfigLayer layer = new ConfigLayer();
        if (document == null) {
            return layer;
        }
        ConfigFile file = new ConfigFile(label);
        for (Map.Entry<String, Object> entry : file.map("the top level", document).entrySet()) {
            file.topLevel(layer, entry.getKey(), entry.getValue());
        }
        return layer;
    }

    private void topLevel(ConfigLayer layer, String key, Object value) throws UsageException {
        if (value == null) {
            return;
        }
        String option = label + ": " + key;
        switch (key) {
            case "device" -> device(layer, value);
            case "crypto" -> crypto(layer, value);
            case "ip" -> layer.ip = OptionValues.interfaceAddress(option, text(key, value));
            case "advertise-addresses" -> layer.advertiseAddresses.addAll(list(key, value));
            case "ifup" -> layer.ifup = text(key, value);
            case "ifdown" -> layer.ifdown = text(key, value);
            case "listen" -> layer.listen = OptionValues.listen(option, text(key, value));
            case "peers" -> {
                for (String peer : list(key, value)) {
                    layer.peers.add(OptionValues.peer(option, peer));
                }
            }
            case "peer-timeout" -> layer.peerTimeout = OptionValues.duration(option, text(key, value));
            case "keepalive" -> layer.keepalive = OptionValues.duration(option, text(key, value));
            case "mode" -> OptionValues.mode(option, text(key, value));
            case "claims" -> {
                for (String claim : list(key, value)) {
                    layer.claims.add(OptionValues.range(option, claim));
                }
            }
            case "auto-claim" -> layer.autoClaim = bool(key, value);
            case "fix-rp-filter" -> layer.fixRpFilter = bool(key, value);
            case "pid-file" -> layer.pidFile = Path.of(text(key, value));
            case "stats-file" -> layer.statsFile = Path.of(text(key, value));
            case "hook" -> layer.hook = text(key, value);
            case "hooks" -> hooks(layer, value);
            case "port-forwarding" -> {
                if (bool(key, value)) {
                    layer.warnings.add(label + ": port-forwarding is not implemented by vpncloud-java (no UPnP)");
                }
            }
            case "beacon", "statsd", "user", "group", "switch-timeout" ->
                    throw new UsageException(option + " is not supported by vpncloud-java");
            default -> throw new UsageException(label + ": unknown key '" + key + "'");
        }
    }

    private void device(ConfigLayer layer, Object value) throws UsageException {
        section("device", value, (name, key, option, v) -> {
            switch (name) {
                case "type" -> OptionValues.deviceType(option, text(key, v));
                case "name" -> layer.deviceName = OptionValues.deviceName(option, text(key, v));
                case "fix-rp-filter" -> layer.fixRpFilter = bool(key, v);
                case "offload" -> layer.offload = bool(key, v);
                case "path" -> {
                    if (!text(key, v).equals("/dev/net/tun")) {
                        throw new UsageException(option + ": only /dev/net/tun is supported by vpncloud-java");
                    }
                }
                default -> throw new UsageException(label + ": unknown key '" + key + "'");
            }
        });
    }

    private void crypto(ConfigLayer layer, Object value) throws UsageException {
        section("crypto", value, (name, key, option, v) -> {
            switch (name) {
                case "password" -> layer.password = text(key, v);
                case "private-key" -> layer.privateKey = OptionValues.key(option, text(key, v));
                case "public-key" -> layer.publicKey = OptionValues.key(option, text(key, v));
                case "trusted-keys" -> {
                    for (String trusted : list(key, v)) {
                        layer.trustedKeys.add(OptionValues.key(option, trusted));
                    }
                }
                case "algorithms" -> {
                    for (String algorithm : list(key, v)) {
                        layer.algorithms.add(OptionValues.algorithm(option, algorithm));
                    }
                }
                default -> throw new UsageException(label + ": unknown key '" + key + "'");
            }
        });
    }

    /** Handles one key of a section such as {@code crypto}. */
    @FunctionalInterface
    private interface SectionEntry {
        /**
         * @param name   the key inside the section ({@code password})
         * @param key    the full key for messages ({@code crypto.password})
         * @param option the file and key, to name in errors
         * @param value  the value, never null
         */
        void handle(String name, String key, String option, Object value) throws UsageException;
    }

    /** Calls {@code entry} for every key of a section that has a value. */
    private void section(String section, Object value, SectionEntry entry) throws UsageException {
        for (Map.Entry<String, Object> e : map(section, value).entrySet()) {
            if (e.getValue() != null) {
                String key = section + "." + e.getKey();
                entry.handle(e.getKey(), key, label + ": " + key, e.getValue());
            }
        }
    }

    private void hooks(ConfigLayer layer, Object value) throws UsageException {
        for (Map.Entry<String, Object> entry : map("hooks", value).entrySet()) {
            String key = "hooks." + entry.getKey();
            HookEvent event = HookEvent.byName(entry.getKey()).orElseThrow(() ->
                    new UsageException(label + ": " + key + ": unknown event (see vpncloud --help)"));
            layer.addEventHook(event, text(key, entry.getValue()));
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(String key, Object value) throws UsageException {
        if (!(value instanceof Map<?, ?> m)) {
            throw new UsageException(label + ": " + key + " must be a mapping of keys to values");
        }
        for (Object k : m.keySet()) {
            if (!(k instanceof String)) {
                throw new UsageException(label + ": " + key + ": keys must be text, not " + k);
            }
        }
        return (Map<String, Object>) m;
    }

    /** A scalar as text: strings, numbers (listen: 3210, peer-timeout: 0.5) and booleans. */
    private String text(String key, Object value) throws UsageException {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        throw new UsageException(label + ": " + key + " must be a single value, not " + describe(value));
    }

    private boolean bool(String key, Object value) throws UsageException {
        if (value instanceof Boolean b) {
            return b;
        }
        throw new UsageException(label + ": " + key + " must be true or false, not " + describe(value));
    }

    /** A list of scalars; a single scalar counts as a list of one. */
    private List<String> list(String key, Object value) throws UsageException {
        if (!(value instanceof List<?> items)) {
            return List.of(text(key, value));
        }
        ArrayList<String> texts = new ArrayList<>();
        for (Object item : items) {
            texts.add(text(key, item));
        }
        return texts;
    }

    private static String describe(Object value) {
        return value instanceof Map ? "a mapping" : value instanceof List ? "a list" : "'" + value + "'";
    }
}
