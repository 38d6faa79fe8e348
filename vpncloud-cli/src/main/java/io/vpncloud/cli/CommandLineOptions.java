package io.vpncloud.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Parses the {@code vpncloud} command line: the reference's options (PROTOCOL.md §11) for TUN and TAP mode, the
 * {@code --config} file underneath them, and the {@code genkey} subcommand. Nothing here logs or exits; errors are
 * {@link UsageException}s naming the option.
 */
public final class CommandLineOptions {

    /** What the command line asks for. */
    public sealed interface Command permits Run, GenKey, Help, Version, Completion {}

    /** Run a node with this configuration. */
    public record Run(CliConfig config) implements Command {}

    /** Print a key pair: derived from the password if given, otherwise random. */
    public record GenKey(Optional<String> password) implements Command {}

    /**
     * Print a usage text.
     *
     * @param subcommand the subcommand whose usage to print ({@code genkey}, {@code completion}); empty for the
     *                   main usage
     */
    public record Help(Optional<String> subcommand) implements Command {
        /** The main usage. */
        public Help() {
            this(Optional.empty());
        }
    }

    /**
     * Print a completion script.
     *
     * @param shell {@code bash}, {@code zsh} or {@code fish}
     */
    public record Completion(String shell) implements Command {}

    /** The subcommands that have a usage text of their own. */
    static final List<String> SUBCOMMANDS = List.of("genkey", "completion", "help");

    /** An option as completion scripts offer it. */
    record OptionName(String name, boolean takesValue) {}

    /** Print the version. */
    public record Version() implements Command {}

    /** Environment variables the reference reads when the option is not given. */
    static final String ENV_PASSWORD = "PASSWORD";
    static final String ENV_PRIVATE_KEY = "PRIVATE_KEY";

    @FunctionalInterface
    private interface Setter {
        void set(ConfigLayer layer, String option, String value) throws UsageException;
    }

    /** One option: its spellings (the first is the canonical one), whether it takes a value, what it sets. */
    private record Spec(List<String> names, boolean takesValue, Setter setter) {
        static Spec value(Setter setter, String... names) {
            return new Spec(List.of(names), true, setter);
        }

        static Spec flag(Setter setter, String... names) {
            return new Spec(List.of(names), false, setter);
        }
    }

    private static final List<Spec> SPECS = List.of(
            Spec.value((l, o, v) -> l.deviceType = OptionValues.deviceType(o, v), "--type", "-t"),
            Spec.value((l, o, v) -> l.deviceName = OptionValues.deviceName(o, v), "--device", "-d"),
            Spec.value(CommandLineOptions::devicePath, "--device-path"),
            Spec.flag((l, o, v) -> l.fixRpFilter = true, "--fix-rp-filter"),
            Spec.flag((l, o, v) -> l.offload = false, "--no-offload"),
            Spec.value((l, o, v) -> l.mode = OptionValues.mode(o, v), "--mode", "-m"),
            Spec.value((l, o, v) -> l.password = v, "--password", "-p"),
            Spec.value((l, o, v) -> l.privateKey = OptionValues.privateKey(o, v), "--private-key", "--key"),
            Spec.value((l, o, v) -> l.publicKey = OptionValues.publicKey(o, v), "--public-key"),
            Spec.value(CommandLineOptions::trustedKeys, "--trusted-key", "--trust"),
            Spec.value(CommandLineOptions::algorithms, "--algorithm", "--algo"),
            Spec.value(CommandLineOptions::claims, "--claim"),
            Spec.flag((l, o, v) -> l.autoClaim = false, "--no-auto-claim"),
            Spec.value((l, o, v) -> l.listen = OptionValues.listen(o, v), "--listen", "-l"),
            Spec.value((l, o, v) -> l.peers.add(OptionValues.peer(o, v)), "--peer", "-c", "--connect"),
            Spec.value((l, o, v) -> l.peerTimeout = OptionValues.duration(o, v), "--peer-timeout"),
            Spec.value((l, o, v) -> l.keepalive = OptionValues.duration(o, v), "--keepalive"),
            Spec.flag((l, o, v) -> l.spreadFlows = true, "--spread-flows"),
            Spec.value((l, o, v) -> l.healthCheck = OptionValues.nonBlank(o, v), "--health-check"),
            Spec.value((l, o, v) -> l.healthInterval = OptionValues.duration(o, v), "--health-interval"),
            Spec.value((l, o, v) -> l.healthTimeout = OptionValues.duration(o, v), "--health-timeout"),
            Spec.value((l, o, v) -> l.healthRise = OptionValues.healthCount(o, "rise", v), "--health-rise"),
            Spec.value((l, o, v) -> l.healthFall = OptionValues.healthCount(o, "fall", v), "--health-fall"),
            Spec.flag((l, o, v) -> l.verbose = true, "--verbose", "-v"),
            Spec.flag((l, o, v) -> l.quiet = true, "--quiet", "-q"),
            Spec.value((l, o, v) -> l.ip = OptionValues.interfaceAddress(o, v), "--ip"),
            Spec.value(CommandLineOptions::advertiseAddresses, "--advertise-addresses", "--advertise_addresses"),
            Spec.value((l, o, v) -> l.ifup = v, "--ifup"),
            Spec.value((l, o, v) -> l.ifdown = v, "--ifdown"),
            Spec.flag((l, o, v) -> { }, "--no-port-forwarding"),
            Spec.flag((l, o, v) -> l.daemon = true, "--daemon"),
            Spec.value((l, o, v) -> l.pidFile = path(o, v), "--pid-file"),
            Spec.value((l, o, v) -> l.statsFile = path(o, v), "--stats-file"),
            Spec.value((l, o, v) -> l.logFile = path(o, v), "--log-file"),
            Spec.value(CommandLineOptions::hook, "--hook"),
            Spec.value((l, o, v) -> l.switchTimeout = OptionValues.switchTimeout(o, v), "--switch-timeout"),
            Spec.value((l, o, v) -> l.beaconStore = OptionValues.nonBlank(o, v), "--beacon-store"),
            Spec.value((l, o, v) -> l.beaconLoad = OptionValues.nonBlank(o, v), "--beacon-load"),
            Spec.value((l, o, v) -> l.beaconInterval = OptionValues.duration(o, v), "--beacon-interval"),
            Spec.value((l, o, v) -> l.beaconPassword = v, "--beacon-password"),
            Spec.value((l, o, v) -> l.statsdServer = OptionValues.hostAndPort(o, v), "--statsd-server"),
            Spec.value((l, o, v) -> l.statsdPrefix = OptionValues.nonBlank(o, v), "--statsd-prefix"),
            Spec.value((l, o, v) -> l.user = Account.user(o, v), "--user"),
            Spec.value((l, o, v) -> l.group = Account.group(o, v), "--group"));

    private CommandLineOptions() {
    }

    /**
     * Parses the arguments after the program name.
     *
     * @param env the process environment ({@code PASSWORD} and {@code PRIVATE_KEY} are read as the reference does)
     * @throws UsageException naming the offending option
     */
    public static Command parse(List<String> args, Map<String, String> env) throws UsageException {
        ConfigLayer fromArgs = new ConfigLayer();
        Path configFile = null;
        for (int i = 0; i < args.size(); i++) {
            String token = args.get(i);
            if (!token.startsWith("-") || token.equals("-")) {
                return subcommand(token, args.subList(i + 1, args.size()), env);
            }
            Token parsed = Token.of(token);
            if (parsed.name().equals("--help") || parsed.name().equals("-h")) {
                return new Help();
            }
            if (parsed.name().equals("--version") || parsed.name().equals("-V")) {
                return new Version();
            }
            if (parsed.name().equals("--config")) {
                String value = parsed.inlineValue() != null ? parsed.inlineValue() : valueAfter(args, i++, "--config");
                configFile = path("--config", value);
                continue;
            }
            Spec spec = find(parsed.name());
            String value = null;
            if (spec.takesValue()) {
                value = parsed.inlineValue() != null ? parsed.inlineValue() : valueAfter(args, i++, parsed.name());
            } else if (parsed.inlineValue() != null) {
                throw new UsageException(parsed.name() + " takes no value");
            }
            spec.setter().set(fromArgs, parsed.name(), value);
        }
        ConfigLayer merged = configFile == null ? fromArgs : ConfigFile.read(configFile).overlay(fromArgs);
        if (merged.password == null && merged.privateKey == null) {
            merged.password = env.get(ENV_PASSWORD);
            String key = env.get(ENV_PRIVATE_KEY);
            if (merged.password == null && key != null) {
                merged.privateKey = OptionValues.privateKey(ENV_PRIVATE_KEY, key);
            }
        }
        return new Run(merged.toConfig());
    }

    private static Command subcommand(String name, List<String> rest, Map<String, String> env) throws UsageException {
        switch (name) {
            case "genkey":
            case "gen-key":
                return genKey(rest, env);
            case "help":
                return help(rest);
            case "completion":
                return completion(rest);
            case "migrate-config":
            case "migrate":
            case "ws-proxy":
            case "wsproxy":
            case "config":
            case "install":
                throw new UsageException("subcommand '" + name + "' is not supported by vpncloud-java");
            default:
                throw new UsageException("unexpected argument '" + name + "' (see vpncloud --help)");
        }
    }

    private static Command genKey(List<String> args, Map<String, String> env) throws UsageException {
        String password = null;
        for (int i = 0; i < args.size(); i++) {
            Token token = Token.of(args.get(i));
            switch (token.name()) {
                case "--password":
                case "-p":
                    password = token.inlineValue() != null ? token.inlineValue() : valueAfter(args, i++, token.name());
                    break;
                case "--help":
                case "-h":
                    return new Help(Optional.of("genkey"));
                default:
                    throw new UsageException(args.get(i).startsWith("-")
                            ? "genkey: unknown option '" + token.name() + "' (genkey takes only --password)"
                            : "genkey: unexpected argument '" + args.get(i) + "'");
            }
        }
        return new GenKey(Optional.ofNullable(password != null ? password : env.get(ENV_PASSWORD)));
    }

    /** {@code help [SUBCOMMAND]}. */
    private static Command help(List<String> args) throws UsageException {
        if (args.isEmpty()) {
            return new Help();
        }
        String name = args.get(0).equals("gen-key") ? "genkey" : args.get(0);
        if (args.size() > 1) {
            throw new UsageException("help: unexpected argument '" + args.get(1) + "' (help takes one subcommand)");
        }
        if (!SUBCOMMANDS.contains(name)) {
            throw new UsageException("help: unknown subcommand '" + name + "' (subcommands: "
                    + String.join(", ", SUBCOMMANDS) + ")");
        }
        return name.equals("help") ? new Help() : new Help(Optional.of(name));
    }

    /** {@code completion [--shell bash|zsh|fish]}, bash by default as the reference. */
    private static Command completion(List<String> args) throws UsageException {
        String shell = "bash";
        for (int i = 0; i < args.size(); i++) {
            Token token = Token.of(args.get(i));
            switch (token.name()) {
                case "--shell", "-s" -> shell = token.inlineValue() != null ? token.inlineValue()
                        : valueAfter(args, i++, token.name());
                case "--help", "-h" -> {
                    return new Help(Optional.of("completion"));
                }
                default -> throw new UsageException(args.get(i).startsWith("-")
                        ? "completion: unknown option '" + token.name() + "' (completion takes only --shell)"
                        : "completion: unexpected argument '" + args.get(i) + "' (give the shell with --shell)");
            }
        }
        if (!CompletionScript.SHELLS.contains(shell)) {
            throw new UsageException("--shell: unknown shell '" + shell + "' (use "
                    + String.join(", ", CompletionScript.SHELLS) + ")");
        }
        return new Completion(shell);
    }

    /** Every option of a run, for completion scripts. */
    static List<OptionName> optionNames() {
        List<OptionName> names = new java.util.ArrayList<>(List.of(new OptionName("--config", true),
                new OptionName("--help", false), new OptionName("-h", false), new OptionName("--version", false),
                new OptionName("-V", false)));
        for (Spec spec : SPECS) {
            for (String name : spec.names()) {
                if (!name.contains("_")) { // --advertise_addresses is the reference's spelling; offer the dashed one
                    names.add(new OptionName(name, spec.takesValue()));
                }
            }
        }
        return names;
    }

    private static Spec find(String name) throws UsageException {
        for (Spec spec : SPECS) {
            if (spec.names().contains(name)) {
                return spec;
            }
        }
        throw new UsageException("unknown option '" + name + "' (see vpncloud --help)");
    }

    private static String valueAfter(List<String> args, int index, String option) throws UsageException {
        if (index + 1 >= args.size()) {
            throw new UsageException(option + " needs a value");
        }
        return args.get(index + 1);
    }

    private static Path path(String option, String value) throws UsageException {
        if (value.isBlank()) {
            throw new UsageException(option + ": empty file name");
        }
        return Path.of(value.trim());
    }

    private static void devicePath(ConfigLayer layer, String option, String value) throws UsageException {
        if (!value.trim().equals("/dev/net/tun")) {
            throw new UsageException(option + ": only /dev/net/tun is supported by vpncloud-java, not '" + value + "'");
        }
    }

    private static void trustedKeys(ConfigLayer layer, String option, String value) throws UsageException {
        for (String key : OptionValues.commaSeparated(value)) {
            layer.trustedKeys.add(OptionValues.publicKey(option, key));
        }
    }

    private static void algorithms(ConfigLayer layer, String option, String value) throws UsageException {
        for (String name : OptionValues.commaSeparated(value)) {
            layer.algorithms.add(OptionValues.algorithm(option, name));
        }
    }

    private static void claims(ConfigLayer layer, String option, String value) throws UsageException {
        for (String range : OptionValues.commaSeparated(value)) {
            layer.claims.add(OptionValues.range(option, range));
        }
    }

    private static void advertiseAddresses(ConfigLayer layer, String option, String value) {
        layer.advertiseAddresses.addAll(OptionValues.commaSeparated(value));
    }

    /**
     * {@code --hook SCRIPT} for every event, or {@code --hook EVENT:SCRIPT} for one, as the reference: a value with a
     * colon names an event before it. The reference silently never runs a script for an unknown event name; here
     * that is an error.
     */
    private static void hook(ConfigLayer layer, String option, String value) throws UsageException {
        if (value.isBlank()) {
            throw new UsageException(option + ": empty script");
        }
        int colon = value.indexOf(':');
        if (colon < 0) {
            layer.hook = value;
            return;
        }
        String name = value.substring(0, colon);
        HookEvent event = HookEvent.byName(name).orElseThrow(() -> new UsageException(option
                + ": unknown event '" + name + "' in '" + value + "' (events: " + HookEvent.names()
                + "; a script for every event has no ':')"));
        if (value.substring(colon + 1).isBlank()) {
            throw new UsageException(option + ": empty script for " + event.eventName());
        }
        layer.addEventHook(event, value.substring(colon + 1));
    }

    /** An option token split into its name and a value given with it ({@code --opt=value}, {@code -cvalue}). */
    private record Token(String name, String inlineValue) {
        static Token of(String token) {
            if (token.startsWith("--")) {
                int eq = token.indexOf('=');
                return eq < 0 ? new Token(token, null) : new Token(token.substring(0, eq), token.substring(eq + 1));
            }
            if (token.length() > 2) {
                String rest = token.substring(2);
                return new Token(token.substring(0, 2), rest.startsWith("=") ? rest.substring(1) : rest);
            }
            return new Token(token, null);
        }
    }

    /** The usage text of {@code vpncloud --help}. */
    public static String usage() {
        return usage(Optional.empty());
    }

    /** The usage text of a subcommand ({@code vpncloud help genkey}), or the main one. */
    public static String usage(Optional<String> subcommand) {
        String resource = subcommand.map(name -> name + "-usage.txt").orElse("usage.txt");
        try (InputStream in = CommandLineOptions.class.getResourceAsStream(resource)) {
            return new String(Objects.requireNonNull(in).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException(resource + " is missing from the jar", e);
        }
    }
}
