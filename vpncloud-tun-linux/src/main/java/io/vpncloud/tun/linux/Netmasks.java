package io.vpncloud.tun.linux;

/** Converts between IPv4 prefix lengths and netmasks. */
final class Netmasks {

    private Netmasks() {
    }

    /** The netmask of {@code prefixLength} (0 to 32) in network byte order. */
    static byte[] fromPrefixLength(int prefixLength) {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("IPv4 prefix length out of 0..32: " + prefixLength);
        }
        int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
        return new byte[] {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
    }

    /** The number of leading one bits of {@code netmask}; a non-contiguous mask counts up to its first zero. */
    static int toPrefixLength(byte[] netmask) {
        int mask = (netmask[0] & 0xFF) << 24 | (netmask[1] & 0xFF) << 16 | (netmask[2] & 0xFF) << 8 | (netmask[3] & 0xFF);
        return Integer.numberOfLeadingZeros(~mask);
    }
}
