package io.vpncloud.core.route;

import io.vpncloud.api.IpRange;

import java.nio.ByteBuffer;

/** Builds the headers of IPv4 and IPv6 packets for flow tests (the lookup reads nothing but the headers). */
final class FlowPackets {
    static final int ICMP = 1;
    static final int ICMPV6 = 58;

    private FlowPackets() {
    }

    /** An IPv4 packet with a transport header that starts with the two ports, then {@code payload} bytes. */
    static ByteBuffer ipv4(String source, String destination, int protocol, int sourcePort, int destinationPort,
                           int payload) {
        return ipv4(source, destination, protocol, sourcePort, destinationPort, payload, 0);
    }

    /** As above, with the IPv4 flags and fragment offset field (0x2000: more fragments; low 13 bits: offset). */
    static ByteBuffer ipv4(String source, String destination, int protocol, int sourcePort, int destinationPort,
                           int payload, int fragmentField) {
        ByteBuffer packet = ByteBuffer.allocate(20 + 8 + payload);
        packet.put(0, (byte) 0x45);
        packet.putShort(2, (short) packet.capacity());
        packet.putShort(6, (short) fragmentField);
        packet.put(8, (byte) 64);
        packet.put(9, (byte) protocol);
        packet.put(12, IpRange.parse(source).address());
        packet.put(16, IpRange.parse(destination).address());
        packet.putShort(20, (short) sourcePort);
        packet.putShort(22, (short) destinationPort);
        for (int i = 28; i < packet.capacity(); i++) {
            packet.put(i, (byte) (i * 7 + payload));
        }
        return packet;
    }

    /** An IPv6 packet whose next header is {@code nextHeader}, followed by the two ports and 4 more bytes. */
    static ByteBuffer ipv6(String source, String destination, int nextHeader, int sourcePort, int destinationPort) {
        ByteBuffer packet = ByteBuffer.allocate(40 + 8);
        packet.put(0, (byte) 0x60);
        packet.putShort(4, (short) 8);
        packet.put(6, (byte) nextHeader);
        packet.put(7, (byte) 64);
        packet.put(8, IpRange.parse(source).address());
        packet.put(24, IpRange.parse(destination).address());
        packet.putShort(40, (short) sourcePort);
        packet.putShort(42, (short) destinationPort);
        return packet;
    }
}
