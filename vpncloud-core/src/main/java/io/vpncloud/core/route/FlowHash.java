package io.vpncloud.core.route;

import java.nio.ByteBuffer;

/**
 * A 64-bit hash of the flow an IP packet belongs to, for spreading flows over the claimants of a range. TCP and UDP
 * packets hash their 5-tuple (protocol, source and destination address and port); every other packet, and IPv4
 * fragments (only the first one carries the ports), hash their address pair only, so that all packets of a flow
 * hash alike. IPv6 packets with extension headers before TCP/UDP also hash their address pair. Reads the packet
 * in place and allocates nothing.
 */
public final class FlowHash {
    static final int TCP = 6;
    static final int UDP = 17;
    private static final int IPV4_MIN_HEADER = 20;
    private static final int IPV6_HEADER = 40;
    /** Flags and fragment offset of IPv4: "more fragments" and the offset; either means a fragment. */
    private static final int IPV4_FRAGMENT_BITS = 0x3FFF;
    private static final long START = 0x9E37_79B9_7F4A_7C15L;

    private FlowHash() {
    }

    /**
     * The flow hash of the IPv4 or IPv6 packet that starts at the buffer's position; the buffer is not changed.
     * Packets too short for their header, or of another IP version, hash to a fixed value.
     */
    public static long of(ByteBuffer packet) {
        int start = packet.position();
        int length = packet.limit() - start;
        if (length < 1) {
            return START;
        }
        int version = (packet.get(start) & 0xFF) >>> 4;
        if (version == 4 && length >= IPV4_MIN_HEADER) {
            return ipv4(packet, start, length);
        }
        if (version == 6 && length >= IPV6_HEADER) {
            return ipv6(packet, start, length);
        }
        return START;
    }

    private static long ipv4(ByteBuffer packet, int start, int length) {
        long addresses = (BigEndian.intAt(packet, start + 12) & 0xFFFF_FFFFL) << 32
                | BigEndian.intAt(packet, start + 16) & 0xFFFF_FFFFL;
        long hash = mix(START ^ addresses);
        int protocol = packet.get(start + 9) & 0xFF;
        int headerLength = (packet.get(start) & 0x0F) * 4;
        boolean fragment = (BigEndian.unsignedShort(packet, start + 6) & IPV4_FRAGMENT_BITS) != 0;
        if ((protocol == TCP || protocol == UDP) && !fragment && headerLength >= IPV4_MIN_HEADER
                && length >= headerLength + 4) {
            hash = withPorts(hash, protocol, BigEndian.intAt(packet, start + headerLength));
        }
        return hash;
    }

    private static long ipv6(ByteBuffer packet, int start, int length) {
        long hash = mix(START ^ BigEndian.longAt(packet, start + 8));
        hash = mix(hash ^ BigEndian.longAt(packet, start + 16));
        hash = mix(hash ^ BigEndian.longAt(packet, start + 24));
        hash = mix(hash ^ BigEndian.longAt(packet, start + 32));
        int nextHeader = packet.get(start + 6) & 0xFF;
        if ((nextHeader == TCP || nextHeader == UDP) && length >= IPV6_HEADER + 4) {
            hash = withPorts(hash, nextHeader, BigEndian.intAt(packet, start + IPV6_HEADER));
        }
        return hash;
    }

    private static long withPorts(long hash, int protocol, int ports) {
        return mix(hash ^ ((long) protocol << 32 | ports & 0xFFFF_FFFFL));
    }

    /** MurmurHash3's 64-bit finaliser: every input bit flips each output bit with probability about 1/2. */
    public static long mix(long x) {
        x ^= x >>> 33;
        x *= 0xFF51_AFD7_ED55_8CCDL;
        x ^= x >>> 33;
        x *= 0xC4CE_B9FE_1A85_EC53L;
        x ^= x >>> 33;
        return x;
    }
}
