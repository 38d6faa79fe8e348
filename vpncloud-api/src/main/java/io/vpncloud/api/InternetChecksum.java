package io.vpncloud.api;

/** The RFC 1071 internet checksum and the pseudo-headers of UDP and ICMPv6 over IPv4 and IPv6. */
final class InternetChecksum {

    private InternetChecksum() {
    }

    /** The 16-bit one's complement sum of {@code length} bytes (a last odd byte padded with zero), added to {@code initial}. */
    static long sum(byte[] data, int offset, int length, long initial) {
        long sum = initial;
        int end = offset + length;
        int i = offset;
        for (; i + 1 < end; i += 2) {
            sum += ((data[i] & 0xFF) << 8) | (data[i + 1] & 0xFF);
        }
        if (i < end) {
            sum += (data[i] & 0xFF) << 8;
        }
        return sum;
    }

    /** The checksum field for a sum: the one's complement of the sum folded to 16 bits. */
    static int finish(long sum) {
        long folded = sum;
        while ((folded >> 16) != 0) {
            folded = (folded & 0xFFFF) + (folded >> 16);
        }
        return (int) (~folded & 0xFFFF);
    }

    /** The sum of the pseudo-header (addresses, protocol, length) that the UDP and ICMPv6 checksums cover. */
    static long pseudoHeader(byte[] packet, int protocol, int transportLength) {
        boolean v6 = IpPackets.version(packet) == 6;
        int addresses = v6 ? 8 : 12;
        int addressBytes = v6 ? 32 : 8;
        return sum(packet, addresses, addressBytes, 0) + protocol + (transportLength & 0xFFFF)
                + (transportLength >>> 16);
    }
}
