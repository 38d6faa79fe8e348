package io.vpncloud.cli;

import io.vpncloud.api.DeviceType;
import io.vpncloud.api.IpRange;
import io.vpncloud.core.ForwardingMode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The complete, checked configuration of one {@code vpncloud} run: the config file merged with the command line.
 * Produced by {@link CommandLineOptions}; consumed by {@link NodeRunner}.
 *
 * @param crypto             keys, password and algorithms
 * @param device             the TUN device and its scripts
 * @param listen             {@code [ADDR:]PORT} of the UDP socket
 * @param peers              configured peers, each {@code HOST:PORT}
 * @param claims             explicit claims
 * @param autoClaim          whether the device address is claimed as /32 (never with a TAP device)
 * @param mode               how packets or frames from the device are forwarded ({@code --mode})
 * @param switchTimeout      how long a learned address is kept, in the modes that learn
 * @param advertiseAddresses addresses to advertise as our own, each {@code HOST:PORT}
 * @param peerTimeout        silence after which a peer is dropped
 * @param keepalive          NodeInfo interval, when set
 * @param spreadFlows        whether flows are spread over the claimants of a range ({@code --spread-flows})
 * @param healthCheck        the health check command and how it runs, when set
 * @param hooks              event scripts
 * @param daemon             whether to run in the background
 * @param pidFile            where the running process writes its pid
 * @param statsFile          where peers, claims and traffic are written periodically
 * @param logFile            where the log goes instead of standard error
 * @param logLevel           how much is logged
 * @param beacon             where beacons are stored and loaded
 * @param statsd             where statistics are sent
 * @param user               the user to switch to once the device and socket are open
 * @param group              the group to switch to then
 * @param warnings           remarks about accepted but ineffective settings, to log once logging is set up
 */
public record CliConfig(
        Crypto crypto,
        Device device,
        String listen,
        List<String> peers,
        List<IpRange> claims,
        boolean autoClaim,
        ForwardingMode mode,
        Duration switchTimeout,
        List<String> advertiseAddresses,
        Duration peerTimeout,
        Optional<Duration> keepalive,
        boolean spreadFlows,
        Optional<Health> healthCheck,
        Hooks hooks,
        boolean daemon,
        Optional<Path> pidFile,
        Optional<Path> statsFile,
        Optional<Path> logFile,
        LogLevel logLevel,
        Beacon beacon,
        Optional<Statsd> statsd,
        Optional<Account> user,
        Optional<Account> group,
        List<String> warnings) {

    /** The reference's default peer timeout. */
    public static final Duration DEFAULT_PEER_TIMEOUT = Duration.ofSeconds(300);

    /** The reference's default switch timeout. */
    public static final Duration DEFAULT_SWITCH_TIMEOUT = Duration.ofSeconds(300);

    public CliConfig {
        peers = List.copyOf(peers);
        claims = List.copyOf(claims);
        advertiseAddresses = List.copyOf(advertiseAddresses);
        warnings = List.copyOf(warnings);
    }

    /**
     * Who we are and whom we trust. Exactly one of password and private key is present.
     *
     * @param password    the shared password
     * @param privateKey  the base62 private key
     * @param publicKey   the base62 public key belonging to the private key, to check it
     * @param trustedKeys base62 public keys to accept; empty means only our own
     * @param algorithms  allowed algorithm names; empty means the default set
     */
    public record Crypto(Optional<String> password, Optional<String> privateKey, Optional<String> publicKey,
                         List<String> trustedKeys, List<String> algorithms) {
        public Crypto {
            trustedKeys = List.copyOf(trustedKeys);
            algorithms = List.copyOf(algorithms);
        }

        /** Never shows the secrets. */
        @Override
        public String toString() {
            return "Crypto[password=" + password.map(p -> "***").orElse("none")
                    + ", privateKey=" + privateKey.map(p -> "***").orElse("none")
                    + ", publicKey=" + publicKey.orElse("none") + ", trustedKeys=" + trustedKeys
                    + ", algorithms=" + algorithms + "]";
        }
    }

    /**
     * The TUN or TAP device.
     *
     * @param type        TUN (IP packets) or TAP (Ethernet frames)
     * @param name        interface name or pattern ({@code vpncloud%d})
     * @param ip          the interface address and prefix ({@code --ip})
     * @param fixRpFilter whether to relax the reverse-path filter
     * @param offload     whether the device may use TCP offloads ({@code --no-offload} turns them off)
     * @param ifup        shell command run after the device is set up ({@code IFNAME} in its environment)
     * @param ifdown      shell command run at shutdown
     */
    public record Device(DeviceType type, String name, Optional<IpRange> ip, boolean fixRpFilter, boolean offload,
                         Optional<String> ifup, Optional<String> ifdown) {}

    /**
     * Scripts called on events, run with {@code sh -c}.
     *
     * @param script  called on every event (the reference's {@code --hook SCRIPT})
     * @param byEvent called on one event only ({@code --hook EVENT:SCRIPT}, the config file's {@code hooks:}),
     *                taking precedence over {@code script}
     */
    public record Hooks(Optional<String> script, Map<String, String> byEvent) {
        public Hooks {
            byEvent = Map.copyOf(byEvent);
        }

        /** The script to run for {@code event}, if any. */
        public Optional<String> scriptFor(String event) {
            return Optional.ofNullable(byEvent.get(event)).or(() -> script);
        }

        /** Whether any script is configured. */
        public boolean any() {
            return script.isPresent() || !byEvent.isEmpty();
        }
    }

    /**
     * Beacons in the reference's format: this node's addresses, written to a file or given to a command, and peer
     * addresses read from a file or a command's output, every {@code interval}.
     *
     * @param store    a file, or {@code |COMMAND} run with {@code sh -c} and the beacon in {@code $beacon}
     * @param load     a file, or {@code |COMMAND} whose output holds beacons
     * @param interval how often to store and load
     * @param password the key of the beacons (none: an empty key, as the reference)
     */
    public record Beacon(Optional<String> store, Optional<String> load, Duration interval, Optional<String> password) {
        /** The reference's default beacon interval. */
        public static final Duration DEFAULT_INTERVAL = Duration.ofHours(1);

        /** Whether beacons are stored or loaded at all. */
        public boolean enabled() {
            return store.isPresent() || load.isPresent();
        }

        /** Never shows the password. */
        @Override
        public String toString() {
            return "Beacon[store=" + store.orElse("none") + ", load=" + load.orElse("none") + ", interval="
                    + interval + ", password=" + password.map(p -> "***").orElse("none") + "]";
        }
    }

    /**
     * Statistics sent to a statsd server every minute, as the reference does.
     *
     * @param server {@code HOST:PORT}
     * @param prefix the first part of every metric name
     */
    public record Statsd(String server, String prefix) {
        /** The reference's default prefix. */
        public static final String DEFAULT_PREFIX = "vpncloud";
    }

    /**
     * A health check command with keepalived's {@code track_script} semantics: run with {@code sh -c} every
     * {@code interval}, healthy when it exits with 0, killed and failed after {@code timeout}; the claims are
     * withdrawn after {@code fall} failures in a row and restored after {@code rise} successes in a row.
     */
    public record Health(String command, Duration interval, Duration timeout, int rise, int fall) {
        /** Defaults as the node's: a check every second, one second to answer, one result decides. */
        public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
        public static final int DEFAULT_RISE = 1;
        public static final int DEFAULT_FALL = 1;
    }

    /** How much is logged: {@code -q} warnings and errors, default info, {@code -v} debug. */
    public enum LogLevel {
        QUIET("warn"), NORMAL("info"), VERBOSE("debug");

        private final String slf4jSimpleName;

        LogLevel(String slf4jSimpleName) {
            this.slf4jSimpleName = slf4jSimpleName;
        }

        /** The level name as slf4j-simple's {@code defaultLogLevel} property takes it. */
        public String slf4jSimpleName() {
            return slf4jSimpleName;
        }
    }
}
