package io.vpncloud.cli;

import io.vpncloud.api.DeviceType;
import io.vpncloud.api.IpRange;
import io.vpncloud.core.ForwardingMode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings from one source (the config file or the command line), each already checked; {@code null} or empty
 * where the source says nothing. {@link #overlay} merges two sources as the reference does, {@link #toConfig}
 * checks the combination and applies the defaults.
 */
final class ConfigLayer {

    DeviceType deviceType;
    String deviceName;
    Boolean fixRpFilter;
    Boolean offload;
    IpRange ip;
    String ifup;
    String ifdown;
    String password;
    String privateKey;
    String publicKey;
    final List<String> trustedKeys = new ArrayList<>();
    final List<String> algorithms = new ArrayList<>();
    String listen;
    final List<String> peers = new ArrayList<>();
    final List<String> advertiseAddresses = new ArrayList<>();
    WrittenDuration peerTimeout;
    WrittenDuration keepalive;
    Boolean spreadFlows;
    String healthCheck;
    WrittenDuration healthInterval;
    WrittenDuration healthTimeout;
    Integer healthRise;
    Integer healthFall;
    String beaconStore;
    String beaconLoad;
    WrittenDuration beaconInterval;
    String beaconPassword;
    String statsdServer;
    String statsdPrefix;
    Account user;
    Account group;
    final List<IpRange> claims = new ArrayList<>();
    Boolean autoClaim;
    ForwardingMode mode;
    WrittenDuration switchTimeout;
    Boolean daemon;
    Path pidFile;
    Path statsFile;
    Path logFile;
    String hook;
    final Map<String, String> hooks = new LinkedHashMap<>();
    Boolean verbose;
    Boolean quiet;
    final List<String> warnings = new ArrayList<>();

    /** A script for one event; a warning is kept for events that vpncloud-java never fires. */
    void addEventHook(HookEvent event, String script) {
        if (!event.isFired()) {
            warnings.add("hook for " + event.eventName() + " is never called: vpncloud-java does not report that event");
        }
        hooks.put(event.eventName(), script);
    }

    /**
     * This layer with {@code top} laid over it, by the reference's rules: single values of {@code top} win, lists
     * (peers, claims, trusted keys, advertised addresses) are appended, and algorithms given in {@code top} replace
     * those of this layer.
     */
    ConfigLayer overlay(ConfigLayer top) {
        ConfigLayer merged = new ConfigLayer();
        merged.deviceType = pick(top.deviceType, deviceType);
        merged.deviceName = pick(top.deviceName, deviceName);
        merged.fixRpFilter = pick(top.fixRpFilter, fixRpFilter);
        merged.offload = pick(top.offload, offload);
        merged.ip = pick(top.ip, ip);
        merged.ifup = pick(top.ifup, ifup);
        merged.ifdown = pick(top.ifdown, ifdown);
        merged.password = pick(top.password, password);
        merged.privateKey = pick(top.privateKey, privateKey);
        merged.publicKey = pick(top.publicKey, publicKey);
        merged.trustedKeys.addAll(trustedKeys);
        merged.trustedKeys.addAll(top.trustedKeys);
        merged.algorithms.addAll(top.algorithms.isEmpty() ? algorithms : top.algorithms);
        merged.listen = pick(top.listen, listen);
        merged.peers.addAll(peers);
        merged.peers.addAll(top.peers);
        merged.advertiseAddresses.addAll(advertiseAddresses);
        merged.advertiseAddresses.addAll(top.advertiseAddresses);
        merged.peerTimeout = pick(top.peerTimeout, peerTimeout);
        merged.keepalive = pick(top.keepalive, keepalive);
        merged.spreadFlows = pick(top.spreadFlows, spreadFlows);
        merged.healthCheck = pick(top.healthCheck, healthCheck);
        merged.healthInterval = pick(top.healthInterval, healthInterval);
        merged.healthTimeout = pick(top.healthTimeout, healthTimeout);
        merged.healthRise = pick(top.healthRise, healthRise);
        merged.healthFall = pick(top.healthFall, healthFall);
        merged.beaconStore = pick(top.beaconStore, beaconStore);
        merged.beaconLoad = pick(top.beaconLoad, beaconLoad);
        merged.beaconInterval = pick(top.beaconInterval, beaconInterval);
        merged.beaconPassword = pick(top.beaconPassword, beaconPassword);
        merged.statsdServer = pick(top.statsdServer, statsdServer);
        merged.statsdPrefix = pick(top.statsdPrefix, statsdPrefix);
        merged.user = pick(top.user, user);
        merged.group = pick(top.group, group);
        merged.claims.addAll(claims);
        merged.claims.addAll(top.claims);
        merged.autoClaim = pick(top.autoClaim, autoClaim);
        merged.mode = pick(top.mode, mode);
        merged.switchTimeout = pick(top.switchTimeout, switchTimeout);
        merged.daemon = pick(top.daemon, daemon);
        merged.pidFile = pick(top.pidFile, pidFile);
        merged.statsFile = pick(top.statsFile, statsFile);
        merged.logFile = pick(top.logFile, logFile);
        merged.hook = pick(top.hook, hook);
        merged.hooks.putAll(hooks);
        merged.hooks.putAll(top.hooks);
        merged.verbose = pick(top.verbose, verbose);
        merged.quiet = pick(top.quiet, quiet);
        merged.warnings.addAll(warnings);
        merged.warnings.addAll(top.warnings);
        return merged;
    }

    /** Checks the combination, fills in the reference's defaults and freezes the result. */
    CliConfig toConfig() throws UsageException {
        if (isSet(verbose) && isSet(quiet)) {
            throw new UsageException("--verbose and --quiet exclude each other: give one");
        }
        CliConfig.Crypto crypto = crypto();
        String listenValue = listen != null ? listen : String.valueOf(OptionValues.DEFAULT_PORT);
        Duration timeout = peerTimeout != null ? peerTimeout.value() : CliConfig.DEFAULT_PEER_TIMEOUT;
        if (keepalive != null && keepalive.value().compareTo(timeout) >= 0) {
            throw new UsageException("--keepalive (" + keepalive + ") must be shorter than --peer-timeout ("
                    + (peerTimeout != null ? peerTimeout.text() : timeout.toSeconds() + "") + ")");
        }
        if (statsdPrefix != null && statsdServer == null) {
            throw new UsageException("--statsd-prefix needs --statsd-server");
        }
        List<String> advertised = new ArrayList<>();
        for (String address : advertiseAddresses) {
            advertised.add(OptionValues.advertiseAddress("--advertise-addresses", address,
                    OptionValues.listenPort(listenValue)));
        }
        DeviceType type = deviceType != null ? deviceType : DeviceType.TUN;
        CliConfig.Device device = new CliConfig.Device(type,
                deviceName != null ? deviceName : OptionValues.DEFAULT_DEVICE_NAME,
                Optional.ofNullable(ip), isSet(fixRpFilter), offload == null || offload, Optional.ofNullable(ifup),
                Optional.ofNullable(ifdown));
        ForwardingMode forwarding = mode != null ? mode : ForwardingMode.NORMAL;
        List<String> remarks = new ArrayList<>(warnings);
        remarks.addAll(claimRemarks(type));
        CliConfig.LogLevel level = isSet(verbose) ? CliConfig.LogLevel.VERBOSE
                : isSet(quiet) ? CliConfig.LogLevel.QUIET : CliConfig.LogLevel.NORMAL;
        CliConfig.Beacon beacon = new CliConfig.Beacon(Optional.ofNullable(beaconStore),
                Optional.ofNullable(beaconLoad),
                beaconInterval != null ? beaconInterval.value() : CliConfig.Beacon.DEFAULT_INTERVAL,
                Optional.ofNullable(beaconPassword));
        Optional<CliConfig.Statsd> statsd = Optional.ofNullable(statsdServer).map(server -> new CliConfig.Statsd(
                server, statsdPrefix != null ? statsdPrefix : CliConfig.Statsd.DEFAULT_PREFIX));
        // The reference never claims the interface address of a TAP device: its claims are MAC ranges.
        boolean claimInterfaceAddress = type == DeviceType.TUN && (autoClaim == null || autoClaim);
        return new CliConfig(crypto, device, listenValue, peers, claims, claimInterfaceAddress, forwarding,
                switchTimeout != null ? switchTimeout.value() : CliConfig.DEFAULT_SWITCH_TIMEOUT, advertised,
                timeout, Optional.ofNullable(keepalive).map(WrittenDuration::value), isSet(spreadFlows), health(),
                new CliConfig.Hooks(Optional.ofNullable(hook), hooks), isSet(daemon), Optional.ofNullable(pidFile),
                Optional.ofNullable(statsFile), Optional.ofNullable(logFile), level, beacon, statsd,
                Optional.ofNullable(user), Optional.ofNullable(group), remarks);
    }

    /**
     * Remarks about claims that the device type makes ineffective: a TUN device's packets are placed by IP address,
     * a TAP device's frames by MAC address. The reference accepts them silently. (The template's
     * {@code auto-claim: true} and {@code switch-timeout: 300} are not remarked on: every file has them.)
     */
    private List<String> claimRemarks(DeviceType type) {
        List<String> remarks = new ArrayList<>();
        for (IpRange claim : claims) {
            if (type == DeviceType.TUN && !claim.isIp()) {
                remarks.add("claim " + claim + " has no effect with a TUN device, which carries IP packets"
                        + " (use --type tap)");
            } else if (type == DeviceType.TAP && claim.isIp()) {
                remarks.add("claim " + claim + " has no effect with a TAP device, whose frames are placed by MAC"
                        + " address (claim aa:bb:cc:dd:ee:ff/48)");
            }
        }
        return remarks;
    }

    /** The health check, if a command is given; its settings without a command are an error. */
    private Optional<CliConfig.Health> health() throws UsageException {
        if (healthCheck == null) {
            for (Object setting : new Object[] {healthInterval, healthTimeout, healthRise, healthFall}) {
                if (setting != null) {
                    throw new UsageException("--health-interval, --health-timeout, --health-rise and --health-fall"
                            + " need --health-check");
                }
            }
            return Optional.empty();
        }
        Duration interval = healthInterval != null ? healthInterval.value() : CliConfig.Health.DEFAULT_INTERVAL;
        Duration timeout = healthTimeout != null ? healthTimeout.value() : interval;
        int rise = healthRise != null ? healthRise : CliConfig.Health.DEFAULT_RISE;
        int fall = healthFall != null ? healthFall : CliConfig.Health.DEFAULT_FALL;
        OptionValues.checkedByBuilder("--health-interval", "healthCheck interval",
                builder -> builder.healthCheck(() -> true, interval, Duration.ofSeconds(1), 1, 1));
        OptionValues.checkedByBuilder("--health-timeout", "healthCheck timeout",
                builder -> builder.healthCheck(() -> true, Duration.ofSeconds(1), timeout, 1, 1));
        return Optional.of(new CliConfig.Health(healthCheck, interval, timeout, rise, fall));
    }

    private CliConfig.Crypto crypto() throws UsageException {
        if (password != null && privateKey != null) {
            throw new UsageException("--password and --private-key exclude each other: give one");
        }
        if (password == null && privateKey == null) {
            throw new UsageException("--password or --private-key is required"
                    + " (or crypto: password / private-key in the config file)");
        }
        if (publicKey != null && privateKey == null) {
            throw new UsageException("--public-key needs --private-key");
        }
        if (publicKey != null) {
            String key = privateKey;
            String expected = publicKey;
            OptionValues.checkedByBuilder("--public-key", "publicKey",
                    builder -> builder.privateKey(key).publicKey(expected));
        }
        return new CliConfig.Crypto(Optional.ofNullable(password), Optional.ofNullable(privateKey),
                Optional.ofNullable(publicKey), trustedKeys, algorithms);
    }

    private static <T> T pick(T top, T bottom) {
        return top != null ? top : bottom;
    }

    private static boolean isSet(Boolean flag) {
        return flag != null && flag;
    }
}
