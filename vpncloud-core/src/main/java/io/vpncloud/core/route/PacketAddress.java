package io.vpncloud.core.route;

import java.nio.ByteBuffer;

/**
 * The IPv4 addresses of an IP packet as keys of a {@link LearningTable}, for the modes that learn on a TUN device
 * (the reference learns the IP addresses there as it learns MAC addresses on a TAP device). A key is the address
 * with a marker bit above the 60 bits an Ethernet key can use, so the two kinds never meet. IPv6 packets are not
 * learned (their addresses do not fit a key); what no claim places goes to every peer in those modes anyway.
 * Read in place, without allocating.
 */
public final class PacketAddress {

    /** What a packet without an IPv4 header gives. */
    public static final long NONE = -1L;
    private static final long IPV4_MARKER = 1L << 62;
    private static final int IPV4_HEADER = 20;
    private static final int SOURCE_OFFSET = 12;
    private static final int DESTINATION_OFFSET = 16;

    private PacketAddress() {
    }

    /** The key of the IPv4 source of the packet at the buffer's position, or {@link #NONE}. */
    public static long source(ByteBuffer packet) {
        return ipv4(packet, SOURCE_OFFSET);
    }

    /** The key of the IPv4 destination of the packet at the buffer's position, or {@link #NONE}. */
    public static long destination(ByteBuffer packet) {
        return ipv4(packet, DESTINATION_OFFSET);
    }

    private static long ipv4(ByteBuffer packet, int offset) {
        int start = packet.position();
        if (packet.limit() - start < IPV4_HEADER || (packet.get(start) & 0xF0) != 0x40) {
            return NONE;
        }
        return IPV4_MARKER | BigEndian.intAt(packet, start + offset) & 0xFFFF_FFFFL;
    }

    /** Whether the key's IPv4 address is a multicast or the broadcast address, which no single peer sits behind. */
    public static boolean isGroup(long key) {
        long address = key & 0xFFFF_FFFFL;
        return (address >>> 28) == 0xE || address == 0xFFFF_FFFFL;
    }
}
