package io.vpncloud.tun.linux;

import io.vpncloud.api.IpPackets;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** Builds IPv4/UDP packets for the tests and parses them, checking the checksums with {@link ReferenceChecksum}. */
final class UdpPackets {

    private static final int IP_HEADER = 20;
    private static final int UDP_HEADER = 8;
    private static final int PROTOCOL_UDP = 17;

    /** A parsed IPv4/UDP packet. */
    record Udp(byte[] source, int sourcePort, byte[] destination, int destinationPort, byte[] payload) {
    }

    private UdpPackets() {
    }

    /**
     * An IPv4 packet carrying one UDP datagram, with valid header and UDP checksums: built by the SDK's
     * {@link IpPackets}, so that {@link #parse} checks those against {@link ReferenceChecksum} too.
     */
    static byte[] build(byte[] source, int sourcePort, byte[] destination, int destinationPort, byte[] payload) {
        try {
            return IpPackets.udp(InetAddress.getByAddress(source), sourcePort, InetAddress.getByAddress(destination),
                    destinationPort, payload);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
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
