package io.vpncloud.tun.linux;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** Builds and parses IPv4/UDP packets for the tests, with checksums computed as RFC 791/768/1071 say. */
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
        packet.putShort(10, (short) checksum(packet.array(), 0, IP_HEADER, 0));
        packet.putShort((short) sourcePort).putShort((short) destinationPort).putShort((short) udpLength);
        packet.putShort((short) 0).put(payload);
        int udpChecksum = checksum(packet.array(), IP_HEADER, udpLength, pseudoHeaderSum(source, destination, udpLength));
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
        if (checksum(packet, 0, headerLength, 0) != 0) {
            throw new AssertionError("bad IPv4 header checksum");
        }
        ByteBuffer buffer = ByteBuffer.wrap(packet);
        byte[] source = Arrays.copyOfRange(packet, 12, 16);
        byte[] destination = Arrays.copyOfRange(packet, 16, 20);
        int udpLength = buffer.getShort(headerLength + 4) & 0xFFFF;
        boolean checksummed = buffer.getShort(headerLength + 6) != 0;
        if (checksummed && checksum(packet, headerLength, udpLength, pseudoHeaderSum(source, destination, udpLength)) != 0) {
            throw new AssertionError("bad UDP checksum");
        }
        return new Udp(source, buffer.getShort(headerLength) & 0xFFFF, destination,
                buffer.getShort(headerLength + 2) & 0xFFFF,
                Arrays.copyOfRange(packet, headerLength + UDP_HEADER, headerLength + udpLength));
    }

    private static int pseudoHeaderSum(byte[] source, byte[] destination, int udpLength) {
        byte[] pseudo = new byte[12];
        System.arraycopy(source, 0, pseudo, 0, 4);
        System.arraycopy(destination, 0, pseudo, 4, 4);
        pseudo[9] = PROTOCOL_UDP;
        pseudo[10] = (byte) (udpLength >> 8);
        pseudo[11] = (byte) udpLength;
        return onesComplementSum(pseudo, 0, pseudo.length, 0);
    }

    /** The Internet checksum of {@code length} bytes at {@code offset}, starting from a partial sum. */
    private static int checksum(byte[] data, int offset, int length, int initialSum) {
        return ~onesComplementSum(data, offset, length, initialSum) & 0xFFFF;
    }

    private static int onesComplementSum(byte[] data, int offset, int length, int initialSum) {
        long sum = initialSum;
        for (int i = 0; i < length; i += 2) {
            int high = data[offset + i] & 0xFF;
            int low = i + 1 < length ? data[offset + i + 1] & 0xFF : 0;
            sum += (high << 8) | low;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (int) sum;
    }
}
