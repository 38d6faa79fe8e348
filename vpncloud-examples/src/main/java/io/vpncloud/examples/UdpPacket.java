package io.vpncloud.examples;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * A UDP datagram in an IPv4 packet, built and parsed by hand: what an application on an in-memory device sends and
 * receives instead of using the operating system's network stack.
 *
 * @param source          source address (IPv4)
 * @param sourcePort      source port
 * @param destination     destination address (IPv4)
 * @param destinationPort destination port
 * @param payload         the UDP payload (copied in and out)
 */
public record UdpPacket(InetAddress source, int sourcePort, InetAddress destination, int destinationPort,
                        byte[] payload) {

    private static final int IP_HEADER = 20;
    private static final int UDP_HEADER = 8;
    private static final int PROTOCOL_UDP = 17;
    private static final int TTL = 64;

    public UdpPacket {
        if (!(source instanceof Inet4Address) || !(destination instanceof Inet4Address)) {
            throw new IllegalArgumentException("IPv4 addresses only");
        }
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** The packet bytes: a 20-byte IPv4 header with its checksum, the UDP header (checksum 0: none) and payload. */
    public byte[] toBytes() {
        int length = IP_HEADER + UDP_HEADER + payload.length;
        ByteBuffer b = ByteBuffer.allocate(length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) length);
        b.putShort((short) 0).putShort((short) 0x4000); // no fragmentation
        b.put((byte) TTL).put((byte) PROTOCOL_UDP).putShort((short) 0);
        b.put(source.getAddress()).put(destination.getAddress());
        b.putShort(10, ipChecksum(b.array()));
        b.putShort((short) sourcePort).putShort((short) destinationPort);
        b.putShort((short) (UDP_HEADER + payload.length)).putShort((short) 0);
        b.put(payload);
        return b.array();
    }

    /** The UDP datagram in {@code packet}, or empty if it is not an unfragmented IPv4/UDP packet. */
    public static Optional<UdpPacket> parse(byte[] packet) {
        if (packet.length < IP_HEADER + UDP_HEADER || (packet[0] & 0xF0) != 0x40 || packet[9] != PROTOCOL_UDP) {
            return Optional.empty();
        }
        int headerLength = (packet[0] & 0x0F) * 4;
        ByteBuffer b = ByteBuffer.wrap(packet);
        int totalLength = b.getShort(2) & 0xFFFF;
        if (headerLength < IP_HEADER || totalLength > packet.length || totalLength < headerLength + UDP_HEADER) {
            return Optional.empty();
        }
        int udpLength = b.getShort(headerLength + 4) & 0xFFFF;
        if (udpLength < UDP_HEADER || headerLength + udpLength > totalLength) {
            return Optional.empty();
        }
        try {
            return Optional.of(new UdpPacket(
                    InetAddress.getByAddress(Arrays.copyOfRange(packet, 12, 16)), b.getShort(headerLength) & 0xFFFF,
                    InetAddress.getByAddress(Arrays.copyOfRange(packet, 16, 20)), b.getShort(headerLength + 2) & 0xFFFF,
                    Arrays.copyOfRange(packet, headerLength + UDP_HEADER, headerLength + udpLength)));
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are always an address", e);
        }
    }

    /** The RFC 791 header checksum: one's complement of the one's complement sum of the header's 16-bit words. */
    private static short ipChecksum(byte[] packet) {
        int sum = 0;
        for (int i = 0; i < IP_HEADER; i += 2) {
            sum += ((packet[i] & 0xFF) << 8) | (packet[i + 1] & 0xFF);
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (short) ~sum;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UdpPacket p && p.source.equals(source) && p.sourcePort == sourcePort
                && p.destination.equals(destination) && p.destinationPort == destinationPort
                && Arrays.equals(p.payload, payload);
    }

    @Override
    public int hashCode() {
        return (source.hashCode() * 31 + destination.hashCode()) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return source.getHostAddress() + ":" + sourcePort + " -> " + destination.getHostAddress() + ":"
                + destinationPort + " (" + payload.length + " bytes)";
    }
}
