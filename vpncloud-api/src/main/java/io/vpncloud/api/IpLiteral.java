package io.vpncloud.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Strict parsing of IP address literals: an IPv4 dotted quad ({@code 10.0.0.1}) or an IPv6 address
 * ({@code fd00::1}, {@code ::ffff:10.0.0.1}). Unlike {@link InetAddress#getByName}, anything else is rejected
 * instead of being looked up as a host name, so parsing never waits for a name server and {@code "cafe"},
 * {@code "1"} or {@code "10.0.0.300"} are errors. IPv4 parts with leading zeros ({@code 010}) are rejected as
 * ambiguous (octal to some parsers); IPv6 zone ids ({@code %eth0}) are not accepted.
 */
public final class IpLiteral {
    private static final int IPV6_GROUPS = 8;

    private IpLiteral() {
    }

    /**
     * The address {@code text} spells, or empty when it is not an IPv4 or IPv6 literal.
     *
     * @param text the text to read, such as {@code 10.0.0.1} or {@code fd00::1}
     * @return the address, or empty
     */
    public static Optional<InetAddress> parse(String text) {
        byte[] bytes = toBytes(text);
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }

    /**
     * Whether {@code text} is an IPv4 or IPv6 literal.
     *
     * @param text the text to read
     * @return true for a literal address
     */
    public static boolean isLiteral(String text) {
        return toBytes(text) != null;
    }

    /** The 4 or 16 address bytes as written (an IPv4-mapped IPv6 address stays 16 bytes), or null. */
    static byte[] toBytes(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        return text.indexOf(':') >= 0 ? ipv6(text) : ipv4(text);
    }

    private static byte[] ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int value = ipv4Part(parts[i]);
            if (value < 0) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        return bytes;
    }

    /** 0..255 in decimal without leading zeros, else -1. */
    private static int ipv4Part(String part) {
        if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= 255 ? value : -1;
    }

    private static byte[] ipv6(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return null; // two gaps are ambiguous
        }
        String head = gap < 0 ? text : text.substring(0, gap);
        String tail = gap < 0 ? "" : text.substring(gap + 2);
        int[] headGroups = groups(head, gap < 0);
        int[] tailGroups = groups(tail, true);
        if (headGroups == null || tailGroups == null) {
            return null;
        }
        int written = headGroups.length + tailGroups.length;
        if (gap < 0 ? written != IPV6_GROUPS : written > IPV6_GROUPS - 1) {
            return null;
        }
        byte[] bytes = new byte[16];
        for (int i = 0; i < headGroups.length; i++) {
            putGroup(bytes, i, headGroups[i]);
        }
        for (int i = 0; i < tailGroups.length; i++) {
            putGroup(bytes, IPV6_GROUPS - tailGroups.length + i, tailGroups[i]);
        }
        return bytes;
    }

    /**
     * The 16-bit groups of one side of the {@code ::} gap (empty side: none), or null when malformed.
     *
     * @param mayEndInIpv4 whether this side ends the address, where a dotted quad may stand for two groups
     */
    private static int[] groups(String side, boolean mayEndInIpv4) {
        if (side.isEmpty()) {
            return new int[0];
        }
        String[] parts = side.split(":", -1);
        String last = parts[parts.length - 1];
        boolean endsInIpv4 = mayEndInIpv4 && last.indexOf('.') >= 0;
        int[] groups = new int[parts.length + (endsInIpv4 ? 1 : 0)];
        for (int i = 0; i < parts.length - (endsInIpv4 ? 1 : 0); i++) {
            groups[i] = hexGroup(parts[i]);
            if (groups[i] < 0) {
                return null;
            }
        }
        if (endsInIpv4) {
            byte[] v4 = ipv4(last);
            if (v4 == null) {
                return null;
            }
            groups[groups.length - 2] = (v4[0] & 0xFF) << 8 | (v4[1] & 0xFF);
            groups[groups.length - 1] = (v4[2] & 0xFF) << 8 | (v4[3] & 0xFF);
        }
        return groups;
    }

    /** One to four hex digits, else -1. */
    private static int hexGroup(String part) {
        if (part.isEmpty() || part.length() > 4) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < part.length(); i++) {
            int digit = Character.digit(part.charAt(i), 16);
            if (digit < 0 || part.charAt(i) > 'f') {
                return -1; // Character.digit also accepts non-ASCII digits
            }
            value = value << 4 | digit;
        }
        return value;
    }

    private static void putGroup(byte[] bytes, int index, int group) {
        bytes[2 * index] = (byte) (group >> 8);
        bytes[2 * index + 1] = (byte) group;
    }
}
