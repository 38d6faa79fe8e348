package io.vpncloud.tun.linux;

/**
 * The Internet checksum as RFC 1071 states it, byte pair by byte pair over a {@code byte[]}, written for the
 * tests independently of {@link InternetChecksum}.
 */
final class ReferenceChecksum {

    private ReferenceChecksum() {
    }

    /** The folded one's-complement sum of {@code length} bytes at {@code offset}, added to {@code initial}. */
    static int sum(byte[] data, int offset, int length, int initial) {
        long sum = initial;
        for (int i = 0; i < length; i += 2) {
            int high = data[offset + i] & 0xFF;
            int low = i + 1 < length ? data[offset + i + 1] & 0xFF : 0;
            sum += (high << 8) | low;
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (int) sum;
    }

    /** The checksum field value for the bytes: the inverted sum. */
    static int checksum(byte[] data, int offset, int length, int initial) {
        return ~sum(data, offset, length, initial) & 0xFFFF;
    }

    /** The folded sum of the pseudo-header of the IPv4 or IPv6 packet in {@code packet}. */
    static int pseudoHeaderSum(byte[] packet, int protocol, int transportLength) {
        boolean ipv4 = (packet[0] >> 4 & 0x0F) == 4;
        byte[] pseudo = new byte[ipv4 ? 12 : 40];
        if (ipv4) {
            System.arraycopy(packet, 12, pseudo, 0, 8);
            pseudo[9] = (byte) protocol;
            pseudo[10] = (byte) (transportLength >> 8);
            pseudo[11] = (byte) transportLength;
        } else {
            System.arraycopy(packet, 8, pseudo, 0, 32);
            pseudo[34] = (byte) (transportLength >> 8);
            pseudo[35] = (byte) transportLength;
            pseudo[39] = (byte) protocol;
        }
        return sum(pseudo, 0, pseudo.length, 0);
    }
}
