package io.vpncloud.tun.linux;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** Builds and parses IPv4/UDP packets for the tests, with checksums from {@link ReferenceChecksum}. */
final class UdpPackets {

    private static final int IP_HEADER = 20;
    private static final int UDP_HEADER = 8;
    private static final int PROTOCOL_UDP = 17;

    /** A parsed IPv4/UDP packet. */
    record Udp(byte[] source, int sourcePort, byte[] destination, int destinationPort, byte[] payload) {
    }

    private UdpPackets() {
    }

    /** An IPv4 packet carrying one UDP datagram, with valid header and UDP checksums. */
    static byte[] build(byte[] source, int sourcePort, byte[] destination, int destinationPort, byte[] payload) {
        int udpLength = UDP_HEADER + payload.length;
        ByteBuffer packet = ByteBuffer.allocate(IP_HEADER + udpLength);
        packet.put((byte) 0x45).put((byte) 0).putShort((short) (IP_HEADER + udpLength));
        packet.putShort((short) 0x1234).putShort((short) 0x4000); // id, don't fragment
        packet.put((byte) 64).put((byte) PROTOCOL_UDP).putShort((short) 0);
        packet.put(source).put(destination);
        packet.putShort(10, (short) ReferenceChecksum.checksum(packet.array(), 0, IP_HEADER, 0));
        packet.putShort((short) sourcePort).putShort((short) destinationPort).putShort((short) udpLength);
        packet.putShort((short) 0).put(payload);
        int udpChecksum = ReferenceChecksum.checksum(packet.array(), IP_HEADER, udpLength,
                ReferenceChecksum.pseudoHeaderSum(packet.array(), PROTOCOL_UDP, udpLength));
        packet.putShort(IP_HEADER + 6, (short) (udpChecksum == 0 ? 0xFFFF : udpChecksum));
        return packet.array();
    }

    /**
     * The UDP datagram in {@code packet}, or null when it is not IPv4/UDP.
     *
     * @throws AssertionError when the IPv4 header checksum or the UDP checksum is wrong
     */
    static Udp parse(byte[] packet) {
        if (packet.length < IP_HEADER + UDP_HEADER || (packet[0] >> 4) != 4 || packet[9] != PROTOCOL_UDP) {
            return null;
        }
        int headerLength = (packet[0] & 0x0F) * 4;
        if (ReferenceChecksum.checksum(packet, 0, headerLength, 0) != 0) {
            throw new AssertionError("bad IPv4 header checksum");
        }
        ByteBuffer buffer = ByteBuffer.wrap(packet);
        byte[] source = Arrays.copyOfRange(packet, 12, 16);
        byte[] destination = Arrays.copyOfRange(packet, 16, 20);
        int udpLength = buffer.getShort(headerLength + 4) & 0xFFFF;
        boolean checksummed = buffer.getShort(headerLength + 6) != 0;
        if (checksummed && ReferenceChecksum.checksum(packet, headerLength, udpLength,
                ReferenceChecksum.pseudoHeaderSum(packet, PROTOCOL_UDP, udpLength)) != 0) {
            throw new AssertionError("bad UDP checksum");
        }
        return new Udp(source, buffer.getShort(headerLength) & 0xFFFF, destination,
                buffer.getShort(headerLength + 2) & 0xFFFF,
                Arrays.copyOfRange(packet, headerLength + UDP_HEADER, headerLength + udpLength));
    }
}
