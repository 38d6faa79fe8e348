package io.vpncloud.tun.linux;

import java.nio.ByteBuffer;

/**
 * The Ethernet header in front of every packet on a TAP device: destination and source MAC, then the EtherType;
 * with an 802.1Q tag, EtherType 0x8100, the tag and then the EtherType of the payload.
 */
final class EthernetHeader {

    /** Destination MAC, source MAC, EtherType. */
    static final int LENGTH = 14;
    /** With an 802.1Q tag. */
    static final int TAGGED_LENGTH = 18;
    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_IPV6 = 0x86DD;
    static final int ETHERTYPE_VLAN = 0x8100;

    private static final int ETHERTYPE = 12;

    private EthernetHeader() {
    }

    /**
     * Where the IP packet in the frame of {@code length} bytes at {@code start} begins, relative to the frame:
     * 14, or 18 behind one 802.1Q tag; -1 when the frame carries no IPv4 or IPv6 packet or is too short for one.
     */
    static int ipOffset(ByteBuffer buffer, int start, int length) {
        if (length < TAGGED_LENGTH) {
            return -1;
        }
        int etherType = NetworkOrder.u16(buffer, start + ETHERTYPE);
        int offset = LENGTH;
        if (etherType == ETHERTYPE_VLAN) {
            etherType = NetworkOrder.u16(buffer, start + TAGGED_LENGTH - 2);
            offset = TAGGED_LENGTH;
        }
        return isIp(etherType) && length > offset ? offset : -1;
    }

    /** The IP version the frame's EtherType names (4 or 6) for the IP packet at {@code ipOffset}. */
    static int ipVersion(ByteBuffer buffer, int start, int ipOffset) {
        return NetworkOrder.u16(buffer, start + ipOffset - 2) == ETHERTYPE_IPV4 ? 4 : 6;
    }

    private static boolean isIp(int etherType) {
        return etherType == ETHERTYPE_IPV4 || etherType == ETHERTYPE_IPV6;
    }
}
