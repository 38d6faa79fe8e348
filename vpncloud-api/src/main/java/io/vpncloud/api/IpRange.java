package io.vpncloud.api;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An address range as claimed by a node: an address of 4 (IPv4), 16 (IPv6), 6 (MAC) or 8 (VLAN + MAC) bytes
 * and a prefix length in bits. The address is kept as given (host bits are not cleared), because claims must
 * re-encode to the same bytes.
 *
 * @param address       the address bytes (copied in and out)
 * @param prefixLength  prefix length, 0 to 8 × address length
 */
public record IpRange(byte[] address, int prefixLength) {

    /**
     * Checks the lengths and copies the address.
     *
     * @param address the address bytes: 4 (IPv4), 16 (IPv6), 6 (MAC) or 8 (VLAN + MAC)
     * @param prefixLength prefix length, 0 to 8 × address length
     * @throws IllegalArgumentException naming the bad value
     */
    public IpRange {
        if (address == null) {
            throw new IllegalArgumentException("address must not be null");
        }
        int len = address.length;
        if (len != 4 && len != 16 && len != 6 && len != 8) {
            throw new IllegalArgumentException("address must have 4, 16, 6 or 8 bytes, not " + len);
        }
        if (prefixLength < 0 || prefixLength > len * 8) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of 0.." + len * 8);
        }
        address = address.clone();
    }

    /**
     * A range from an IP address and prefix length.
     *
     * @param address an IPv4 or IPv6 address
     * @param prefixLength prefix length, 0 to 32 or 128
     * @return the range
     */
    public static IpRange of(InetAddress address, int prefixLength) {
        return new IpRange(address.getAddress(), prefixLength);
    }

    /**
     * A single host: /32 for IPv4, /128 for IPv6.
     *
     * @param address an IPv4 or IPv6 address
     * @return the range of just that address
     */
    public static IpRange host(InetAddress address) {
        byte[] bytes = address.getAddress();
        return new IpRange(bytes, bytes.length * 8);
    }

    /**
     * Parses {@code 10.0.0.0/24}, {@code fd00::/64}, a MAC range {@code aa:bb:cc:dd:ee:ff/48}, a VLAN + MAC range
     * {@code vlan5/aa:bb:cc:dd:ee:ff/64} (VLAN id 1 to 4095), or a bare address of any of these kinds (a single
     * address). The address must be a literal (see {@link IpLiteral}); host names are rejected, never looked up.
     * {@link #toString()} writes the same forms.
     *
     * @param text a range or an address
     * @throws IllegalArgumentException naming the bad text
     * @return the range
     */
    public static IpRange parse(String text) {
        String s = text.trim();
        String rest = s;
        byte[] vlan = null;
        if (s.regionMatches(true, 0, VLAN_PREFIX, 0, VLAN_PREFIX.length())) {
            int slash = s.indexOf('/');
            vlan = slash < 0 ? null : vlanBytes(s.substring(VLAN_PREFIX.length(), slash));
            if (vlan == null) {
                throw new IllegalArgumentException("not a VLAN + MAC address or range: '" + text + "'");
            }
            rest = s.substring(slash + 1);
        }
        int slash = rest.indexOf('/');
        String addrText = slash < 0 ? rest : rest.substring(0, slash);
        byte[] bytes = vlan != null ? withVlan(vlan, macBytes(addrText)) : addressBytes(addrText);
        if (bytes == null) {
            throw new IllegalArgumentException("not an IP or MAC address or range: '" + text + "'");
        }
        if (slash < 0) {
            return new IpRange(bytes, bytes.length * 8);
        }
        String prefixText = rest.substring(slash + 1);
        if (prefixText.isEmpty() || prefixText.length() > 3
                || !prefixText.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("bad prefix length in '" + text + "'");
        }
        int prefix = Integer.parseInt(prefixText);
        if (prefix > bytes.length * 8) {
            throw new IllegalArgumentException("prefix length out of range in '" + text + "'");
        }
        return new IpRange(bytes, prefix);
    }

    private static final String VLAN_PREFIX = "vlan";

    /** An IP literal, or else a MAC address; null when it is neither. */
    private static byte[] addressBytes(String text) {
        byte[] ip = IpLiteral.toBytes(text);
        return ip != null ? ip : macBytes(text);
    }

    /** Six colon-separated hexadecimal bytes ({@code aa:bb:cc:dd:ee:ff}), or null. */
    private static byte[] macBytes(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length != 6) {
            return null;
        }
        byte[] mac = new byte[6];
        for (int i = 0; i < 6; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 2 || !part.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return null;
            }
            mac[i] = (byte) Integer.parseInt(part, 16);
        }
        return mac;
    }

    /** A VLAN id 1 to 4095 in decimal as two big-endian bytes, or null. */
    private static byte[] vlanBytes(String text) {
        if (text.isEmpty() || text.length() > 4 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        int id = Integer.parseInt(text);
        return id < 1 || id > 4095 ? null : new byte[] {(byte) (id >>> 8), (byte) id};
    }

    private static byte[] withVlan(byte[] vlan, byte[] mac) {
        if (mac == null) {
            return null;
        }
        byte[] address = new byte[8];
        System.arraycopy(vlan, 0, address, 0, 2);
        System.arraycopy(mac, 0, address, 2, 6);
        return address;
    }

    /**
     * The address bytes.
     *
     * @return a copy of the address bytes
     */
    @Override
    public byte[] address() {
        return address.clone();
    }

    /**
     * The address length in bytes.
     *
     * @return 4, 16, 6 or 8
     */
    public int addressLength() {
        return address.length;
    }

    /**
     * Whether this is an IPv4 or IPv6 range (not a MAC range).
     *
     * @return true for a 4- or 16-byte address
     */
    public boolean isIp() {
        return address.length == 4 || address.length == 16;
    }

    /**
     * The address as an {@link InetAddress}; only for IP ranges.
     *
     * @return the address
     */
    public InetAddress inetAddress() {
        if (!isIp()) {
            throw new IllegalStateException("not an IP range: " + this);
        }
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Whether {@code addr} (same length as this range's address) lies in this range.
     *
     * @param addr an address of the same length as this range's
     * @return true when its first {@code prefixLength} bits equal this range's
     */
    public boolean contains(byte[] addr) {
        if (addr.length != address.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (addr[i] != address[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (addr[full] & mask) == (address[full] & mask);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpRange r && r.prefixLength == prefixLength && Arrays.equals(r.address, address);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(address) * 31 + prefixLength;
    }

    private String ipv6Text() {
        try {
            return Inet6Address.getByAddress(null, address, -1).getHostAddress();
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public String toString() {
        if (address.length == 16) {
            // Not inetAddress(): it turns an IPv4-mapped address into IPv4, which would not parse back.
            return ipv6Text() + "/" + prefixLength;
        }
        if (isIp()) {
            return inetAddress().getHostAddress() + "/" + prefixLength;
        }
        if (address.length == 8) {
            int vlan = ((address[0] & 0xFF) << 8) | (address[1] & 0xFF);
            return VLAN_PREFIX + vlan + "/" + HexFormat.ofDelimiter(":").formatHex(address, 2, 8) + "/" + prefixLength;
        }
        return HexFormat.ofDelimiter(":").formatHex(address) + "/" + prefixLength;
    }
}
