package io.vpncloud.cli;

import io.vpncloud.api.DeviceType;
import io.vpncloud.api.IpRange;
import io.vpncloud.core.ForwardingMode;
import io.vpncloud.core.VpnNode;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Parses and checks option values, the same way for the command line and the config file. Every error names the
 * option (or config key) as the user wrote it. Values that end up in the node are checked by {@link VpnNode.Builder}
 * itself (see {@link #checkedByBuilder}), so the command and the builder never disagree.
 */
final class OptionValues {

    /** The reference's default UDP port, added to peers given without one. */
    static final int DEFAULT_PORT = 3210;

    /** The reference's default device name pattern; the kernel fills in the number. */
    static final String DEFAULT_DEVICE_NAME = "vpncloud%d";

    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    /** {@code A.B.C.D[/LEN]} with every octet at most 255: never a host name, so never a DNS lookup. */
    private static final Pattern IPV4_WITH_PREFIX = Pattern.compile(OCTET + "(\\." + OCTET + "){3}(/[0-9]{1,2})?");
    private static final BigDecimal NANOS_PER_MILLI = BigDecimal.valueOf(1_000_000L);
    private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);

    private OptionValues() {
    }

    /**
     * A duration as the reference writes it (whole seconds, {@code 300}) or finer: {@code 0.5}, {@code 500ms},
     * {@code 2s}, {@code 1.5m}, {@code 1h}. Must be positive.
     */
    static WrittenDuration duration(String option, String text) throws UsageException {
        String s = text.trim().toLowerCase(Locale.ROOT);
        BigDecimal unitNanos = NANOS_PER_SECOND;
        if (s.endsWith("ms")) {
            unitNanos = NANOS_PER_MILLI;
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("s")) {
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("m")) {
            unitNanos = NANOS_PER_SECOND.multiply(BigDecimal.valueOf(60));
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("h")) {
            unitNanos = NANOS_PER_SECOND.multiply(BigDecimal.valueOf(3600));
            s = s.substring(0, s.length() - 1);
        }
        BigDecimal nanos;
        try {
            nanos = new BigDecimal(s.trim()).multiply(unitNanos);
        } catch (NumberFormatException e) {
            throw new UsageException(option + ": not a duration: '" + text
                    + "' (use seconds such as 300 or 0.5, or 500ms, 2s, 5m, 1h)");
        }
        if (nanos.signum() <= 0 || nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new UsageException(option + ": must be a positive duration, not '" + text + "'");
        }
        long whole = nanos.longValue();
        if (whole == 0) {
            throw new UsageException(option + ": shorter than a nanosecond: '" + text + "'");
        }
        return new WrittenDuration(Duration.ofNanos(whole), text.trim());
    }

    /**
     * The interface address {@code A.B.C.D[/len]} of {@code --ip}; the prefix length defaults to 24 as in the
     * reference. IPv4 only, as the reference.
     */
    static IpRange interfaceAddress(String option, String text) throws UsageException {
        String s = text.trim();
        if (!IPV4_WITH_PREFIX.matcher(s).matches()) {
            throw new UsageException(option + ": expected an IPv4 address A.B.C.D or A.B.C.D/LEN, not '" + text + "'");
        }
        IpRange range = range(option, s.contains("/") ? s : s + "/24");
        if (range.addressLength() != 4) {
            throw new UsageException(option + ": expected an IPv4 address, not '" + text + "'");
        }
        return range;
    }

    /** An address range such as {@code 10.0.0.0/24}, {@code 10.0.0.1} (a host) or {@code fd00::/64}. */
    static IpRange range(String option, String text) throws UsageException {
        checkedByBuilder(option, "claim", builder -> builder.claim(text));
        return IpRange.parse(text);
    }

    /**
     * Gives {@code value} to a throwaway {@link VpnNode.Builder} through {@code setter}, so that the builder, which
     * checks every value when it is set, is the one place that decides what is valid. Its
     * IllegalArgumentException becomes a usage error naming the option as the user typed it.
     *
     * @param builderOption the builder method's name, which starts its messages and is replaced by {@code option}
     */
    static void checkedByBuilder(String option, String builderOption, Consumer<VpnNode.Builder> setter)
            throws UsageException {
        try {
            setter.accept(VpnNode.builder());
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            for (String prefix : List.of(builderOption + ": ", builderOption + " ")) {
                if (message.startsWith(prefix)) {
                    message = message.substring(prefix.length());
                    break;
                }
            }
            throw new UsageException(option + ": " + message);
        }
    }

    /**
     * A peer {@code HOST[:PORT]}; without a port the reference's default 3210 is added, as the reference does.
     * IPv6 addresses are written {@code [ADDR]:PORT} (a bare IPv6 address gets the default port).
     */
    static String peer(String option, String text) throws UsageException {
        HostAndPort hp = HostAndPort.split(option, text);
        String peer = hp.withPort(hp.port() >= 0 ? hp.port() : DEFAULT_PORT);
        checkedByBuilder(option, "peer", builder -> builder.peer(peer));
        return peer;
    }

    /** {@code [ADDR:]PORT} of {@code --listen}; returned trimmed. */
    static String listen(String option, String text) throws UsageException {
        String s = text.trim();
        if (s.matches("\\d+")) {
            HostAndPort.port(option, s, text);
            return s;
        }
        HostAndPort hp = HostAndPort.split(option, s);
        if (hp.port() < 0) {
            throw new UsageException(option + ": expected PORT or ADDR:PORT, not '" + text + "'");
        }
        checkedByBuilder(option, "listen", builder -> builder.listen(s));
        return s;
    }

    /** The statsd server {@code HOST:PORT}, as the reference takes it (the port is required). */
    static String hostAndPort(String option, String text) throws UsageException {
        HostAndPort hp = HostAndPort.split(option, text);
        if (hp.port() < 0) {
            throw new UsageException(option + ": expected HOST:PORT, not '" + text + "'");
        }
        return hp.withPort(hp.port());
    }

    /**
     * The rise or fall count of a health check: a whole number of at least 1 ({@code builderOption} is
     * {@code rise} or {@code fall}).
     */
    static int healthCount(String option, String builderOption, String text) throws UsageException {
        int count;
        try {
            count = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(option + ": not a whole number: '" + text + "'");
        }
        String checked = "healthCheck " + builderOption;
        int rise = builderOption.equals("rise") ? count : 1;
        int fall = builderOption.equals("fall") ? count : 1;
        checkedByBuilder(option, checked, builder -> builder.healthCheck(() -> true, Duration.ofSeconds(1),
                Duration.ofSeconds(1), rise, fall));
        return count;
    }

    /** A text value that must not be blank, such as a file name, a command or a prefix. */
    static String nonBlank(String option, String text) throws UsageException {
        if (text.isBlank()) {
            throw new UsageException(option + ": empty value");
        }
        return text.trim();
    }

    /** The port of a value accepted by {@link #listen}. */
    static int listenPort(String listen) {
        int colon = listen.lastIndexOf(':');
        return Integer.parseInt(listen.substring(colon + 1));
    }

    /**
     * An address to advertise, {@code HOST[:PORT]}; without a port, the listen port is used, as the reference
     * does.
     */
    static String advertiseAddress(String option, String text, int listenPort) throws UsageException {
        HostAndPort hp = HostAndPort.split(option, text);
        if (hp.port() >= 0) {
            return hp.withPort(hp.port());
        }
        if (listenPort == 0) {
            throw new UsageException(option + ": give a port with '" + text + "' when listening on port 0");
        }
        return hp.withPort(listenPort);
    }

    /** A private key: 32 bytes in base62, as {@code vpncloud genkey} prints it; the builder checks it. */
    static String privateKey(String option, String text) throws UsageException {
        String key = text.trim();
        checkedByBuilder(option, "privateKey", builder -> builder.privateKey(key));
        return key;
    }

    /** A public key ({@code --public-key}, {@code --trusted-key}): 32 bytes in base62; the builder checks it. */
    static String publicKey(String option, String text) throws UsageException {
        String key = text.trim();
        checkedByBuilder(option, "trustedKey", builder -> builder.trustedKey(key));
        return key;
    }

    /** An algorithm name of the reference ({@code plain}, {@code aes128}, {@code aes256}, {@code chacha20}...). */
    static String algorithm(String option, String text) throws UsageException {
        String name = text.trim();
        checkedByBuilder(option, "algorithm", builder -> builder.algorithm(name));
        return name;
    }

    /** An interface name or pattern; Linux allows at most 15 characters. */
    static String deviceName(String option, String text) throws UsageException {
        String name = text.trim();
        if (name.isEmpty() || name.length() > 15) {
            throw new UsageException(option + ": device name must have 1 to 15 characters: '" + text + "'");
        }
        return name;
    }

    /** The device type, {@code tun} (IP packets) or {@code tap} (Ethernet frames), in any case. */
    static DeviceType deviceType(String option, String text) throws UsageException {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "tun" -> DeviceType.TUN;
            case "tap" -> DeviceType.TAP;
            default -> throw new UsageException(option + ": unknown device type '" + text + "' (use tun or tap)");
        };
    }

    /**
     * The forwarding mode, {@code normal}, {@code router}, {@code switch} or {@code hub}, in any case; what each
     * means depends on the device type (see {@link ForwardingMode}).
     */
    static ForwardingMode mode(String option, String text) throws UsageException {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "normal" -> ForwardingMode.NORMAL;
            case "router" -> ForwardingMode.ROUTER;
            case "switch" -> ForwardingMode.SWITCH;
            case "hub" -> ForwardingMode.HUB;
            default -> throw new UsageException(option + ": unknown mode '" + text
                    + "' (use normal, router, switch or hub)");
        };
    }

    /** How long a learned address is kept: a duration the builder accepts as its switch timeout. */
    static WrittenDuration switchTimeout(String option, String text) throws UsageException {
        WrittenDuration timeout = duration(option, text);
        checkedByBuilder(option, "switchTimeout", builder -> builder.switchTimeout(timeout.value()));
        return timeout;
    }

    /** The comma-separated parts of a value, as the reference accepts for its repeatable list options. */
    static List<String> commaSeparated(String text) {
        List<String> parts = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                parts.add(part.trim());
            }
        }
        return parts;
    }

    /** Host and optional port (-1 when absent) of {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}. */
    private record HostAndPort(String host, int port) {

        static HostAndPort split(String option, String text) throws UsageException {
            String s = text.trim();
            if (s.isEmpty()) {
                throw new UsageException(option + ": empty address");
            }
            if (s.startsWith("[")) {
                int close = s.indexOf(']');
                if (close < 0) {
                    throw new UsageException(option + ": missing ']' in '" + text + "'");
                }
                String host = s.substring(1, close);
                String rest = s.substring(close + 1);
                if (rest.isEmpty()) {
                    return new HostAndPort(host, -1);
                }
                if (!rest.startsWith(":")) {
                    throw new UsageException(option + ": expected [ADDR]:PORT, not '" + text + "'");
                }
                return new HostAndPort(host, port(option, rest.substring(1), text));
            }
            int colon = s.indexOf(':');
            if (colon < 0) {
                return new HostAndPort(s, -1);
            }
            if (s.indexOf(':', colon + 1) >= 0) {
                return new HostAndPort(s, -1); // a bare IPv6 address
            }
            if (colon == 0) {
                throw new UsageException(option + ": missing host in '" + text + "'");
            }
            return new HostAndPort(s.substring(0, colon), port(option, s.substring(colon + 1), text));
        }

        static int port(String option, String port, String text) throws UsageException {
            try {
                int p = Integer.parseInt(port.trim());
                if (p >= 0 && p <= 65535) {
                    return p;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new UsageException(option + ": bad port in '" + text + "' (0..65535)");
        }

        String withPort(int p) {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + p;
        }
    }
}
