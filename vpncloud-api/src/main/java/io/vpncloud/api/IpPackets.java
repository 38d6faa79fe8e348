package io.vpncloud.api;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Builds and reads the IP packets an application exchanges with an in-memory TUN device: UDP datagrams and ICMP
 * echo messages (ping) over IPv4 and IPv6, with correct header and transport checksums, and the addresses and
 * protocol of any IP packet.
 *
 * <p>Built packets have a 20-byte IPv4 header (don't fragment, TTL 64) or a 40-byte IPv6 header (hop limit 64)
 * without extension headers. The parsers accept IPv4 headers with options, but neither IPv4 fragments nor IPv6
 * extension headers; they check the structure (versions and lengths), not the checksums, which
 * {@link #checksumsValid(byte[])} checks. Addresses read from an IPv6 header are always {@link Inet6Address}es, also
 * IPv4-mapped ones, so that a parsed packet rebuilds as IPv6.
 */
public final class IpPackets {

    /** The IPv4 protocol number of ICMP. */
    public static final int PROTOCOL_ICMP = 1;
    /** The IP protocol number of UDP. */
    public static final int PROTOCOL_UDP = 17;
    /** The IPv6 next-header number of ICMPv6. */
    public static final int PROTOCOL_ICMPV6 = 58;

    private static final int IPV4_HEADER = 20;
    private static final int IPV6_HEADER = 40;
    private static final int UDP_HEADER = 8;
    private static final int ECHO_HEADER = 8;
    private static final int HOP_LIMIT = 64;
    private static final int MAX_IPV4_PACKET = 0xFFFF;
    private static final int MAX_IPV6_PAYLOAD = 0xFFFF;

    /**
     * A UDP datagram with the addresses of the IP packet that carries it.
     *
     * @param source          source address, IPv4 or IPv6
     * @param sourcePort      source port, 0 to 65535
     * @param destination     destination address, of the same family as {@code source}
     * @param destinationPort destination port, 0 to 65535
     * @param payload         the UDP payload (copied in and out)
     */
    public record Udp(InetAddress source, int sourcePort, InetAddress destination, int destinationPort,
                      byte[] payload) {

        /**
         * Checks and copies the values.
         *
         * @param source source address, IPv4 or IPv6
         * @param sourcePort source port, 0 to 65535
         * @param destination destination address, of the same family as {@code source}
         * @param destinationPort destination port, 0 to 65535
         * @param payload the UDP payload
         * @throws IllegalArgumentException naming the bad value
         */
        public Udp {
            checkAddresses(source, destination);
            checkPort("sourcePort", sourcePort);
            checkPort("destinationPort", destinationPort);
            payload = checkSize("payload", payload, UDP_HEADER, source);
        }

        /**
         * The payload.
         *
         * @return a copy of the UDP payload
         */
        @Override
        public byte[] payload() {
            return payload.clone();
        }

        /**
         * The IP packet carrying this datagram.
         *
         * @return a new IPv4 or IPv6 packet with correct checksums
         */
        public byte[] toBytes() {
            byte[] packet = ipPacket(source, destination, PROTOCOL_UDP, UDP_HEADER + payload.length);
            int at = headerLength(packet);
            ByteBuffer b = ByteBuffer.wrap(packet);
            b.putShort(at, (short) sourcePort).putShort(at + 2, (short) destinationPort);
            b.putShort(at + 4, (short) (UDP_HEADER + payload.length));
            System.arraycopy(payload, 0, packet, at + UDP_HEADER, payload.length);
            int checksum = transportChecksum(packet, PROTOCOL_UDP, at, UDP_HEADER + payload.length);
            // A computed 0 is sent as all ones: 0 means "no checksum" in UDP over IPv4 and is invalid over IPv6.
            b.putShort(at + 6, (short) (checksum == 0 ? 0xFFFF : checksum));
            return packet;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Udp u && u.source.equals(source) && u.sourcePort == sourcePort
                    && u.destination.equals(destination) && u.destinationPort == destinationPort
                    && Arrays.equals(u.payload, payload);
        }

        @Override
        public int hashCode() {
            return ((source.hashCode() * 31 + destination.hashCode()) * 31 + sourcePort * 65536 + destinationPort)
                    * 31 + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "UDP " + source.getHostAddress() + ":" + sourcePort + " -> " + destination.getHostAddress() + ":"
                    + destinationPort + " (" + payload.length + " bytes)";
        }
    }

    /**
     * An ICMP echo request or reply (ICMP over IPv4, ICMPv6 over IPv6), as sent and answered by {@code ping}.
     *
     * @param source      source address, IPv4 or IPv6
     * @param destination destination address, of the same family as {@code source}
     * @param reply       true for an echo reply, false for an echo request
     * @param identifier  the identifier, 0 to 65535
     * @param sequence    the sequence number, 0 to 65535
     * @param data        the data after the echo header (copied in and out)
     */
    public record Echo(InetAddress source, InetAddress destination, boolean reply, int identifier, int sequence,
                       byte[] data) {

        /**
         * Checks and copies the values.
         *
         * @param source source address, IPv4 or IPv6
         * @param destination destination address, of the same family as {@code source}
         * @param reply true for an echo reply, false for an echo request
         * @param identifier the identifier, 0 to 65535
         * @param sequence the sequence number, 0 to 65535
         * @param data the data after the echo header
         * @throws IllegalArgumentException naming the bad value
         */
        public Echo {
            checkAddresses(source, destination);
            checkPort("identifier", identifier);
            checkPort("sequence", sequence);
            data = checkSize("data", data, ECHO_HEADER, source);
        }

        /**
         * The data.
         *
         * @return a copy of the data after the echo header
         */
        @Override
        public byte[] data() {
            return data.clone();
        }

        /**
         * The reply to this request, as a host answers it: addresses swapped, the same identifier, sequence number
         * and data.
         *
         * @return the echo reply
         */
        public Echo answer() {
            return new Echo(destination, source, true, identifier, sequence, data);
        }

        /**
         * The IP packet carrying this message.
         *
         * @return a new IPv4 or IPv6 packet with correct checksums
         */
        public byte[] toBytes() {
            boolean v4 = source instanceof Inet4Address;
            int protocol = v4 ? PROTOCOL_ICMP : PROTOCOL_ICMPV6;
            byte[] packet = ipPacket(source, destination, protocol, ECHO_HEADER + data.length);
            int at = headerLength(packet);
            ByteBuffer b = ByteBuffer.wrap(packet);
            b.put(at, (byte) echoType(v4, reply));
            b.putShort(at + 4, (short) identifier).putShort(at + 6, (short) sequence);
            System.arraycopy(data, 0, packet, at + ECHO_HEADER, data.length);
            b.putShort(at + 2, (short) transportChecksum(packet, protocol, at, ECHO_HEADER + data.length));
            return packet;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Echo e && e.source.equals(source) && e.destination.equals(destination)
                    && e.reply == reply && e.identifier == identifier && e.sequence == sequence
                    && Arrays.equals(e.data, data);
        }

        @Override
        public int hashCode() {
            return ((source.hashCode() * 31 + destination.hashCode()) * 31 + identifier * 65536 + sequence) * 31
                    + Arrays.hashCode(data) + (reply ? 1 : 0);
        }

        @Override
        public String toString() {
            return "ICMP echo " + (reply ? "reply " : "request ") + source.getHostAddress() + " -> "
                    + destination.getHostAddress() + " id " + identifier + " seq " + sequence + " (" + data.length
                    + " bytes)";
        }
    }

    private IpPackets() {
    }

    /**
     * An IP packet carrying one UDP datagram; short for {@code new Udp(...).toBytes()}.
     *
     * @param source          source address, IPv4 or IPv6
     * @param sourcePort      source port
     * @param destination     destination address, of the same family as {@code source}
     * @param destinationPort destination port
     * @param payload         the UDP payload
     * @return a new IPv4 or IPv6 packet with correct checksums
     * @throws IllegalArgumentException naming the bad value
     */
    public static byte[] udp(InetAddress source, int sourcePort, InetAddress destination, int destinationPort,
                             byte[] payload) {
        return new Udp(source, sourcePort, destination, destinationPort, payload).toBytes();
    }

    /**
     * An IP packet carrying an ICMP echo request (ICMPv6 for IPv6 addresses).
     *
     * @param source      source address, IPv4 or IPv6
     * @param destination destination address, of the same family as {@code source}
     * @param identifier  the identifier, 0 to 65535
     * @param sequence    the sequence number, 0 to 65535
     * @param data        the data the reply echoes
     * @return a new IPv4 or IPv6 packet with correct checksums
     * @throws IllegalArgumentException naming the bad value
     */
    public static byte[] echoRequest(InetAddress source, InetAddress destination, int identifier, int sequence,
                                     byte[] data) {
        return new Echo(source, destination, false, identifier, sequence, data).toBytes();
    }

    /**
     * The UDP datagram in an IP packet.
     *
     * @param packet an IPv4 or IPv6 packet
     * @return the datagram, or empty when the packet is not a well-formed, unfragmented UDP packet
     */
    public static Optional<Udp> parseUdp(byte[] packet) {
        int at = transportStart(packet, PROTOCOL_UDP, PROTOCOL_UDP);
        if (at < 0) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(packet);
        int udpLength = b.getShort(at + 4) & 0xFFFF;
        if (udpLength < UDP_HEADER || udpLength > transportEnd(packet) - at) {
            return Optional.empty();
        }
        return Optional.of(new Udp(address(packet, true), b.getShort(at) & 0xFFFF, address(packet, false),
                b.getShort(at + 2) & 0xFFFF, Arrays.copyOfRange(packet, at + UDP_HEADER, at + udpLength)));
    }

    /**
     * The ICMP echo request or reply in an IP packet.
     *
     * @param packet an IPv4 or IPv6 packet
     * @return the echo message, or empty when the packet is not a well-formed, unfragmented echo request or reply
     */
    public static Optional<Echo> parseEcho(byte[] packet) {
        int at = transportStart(packet, PROTOCOL_ICMP, PROTOCOL_ICMPV6);
        int end = at < 0 ? -1 : transportEnd(packet);
        if (at < 0 || end - at < ECHO_HEADER || packet[at + 1] != 0) {
            return Optional.empty();
        }
        boolean v4 = version(packet) == 4;
        int type = packet[at] & 0xFF;
        if (type != echoType(v4, false) && type != echoType(v4, true)) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(packet);
        return Optional.of(new Echo(address(packet, true), address(packet, false), type == echoType(v4, true),
                b.getShort(at + 4) & 0xFFFF, b.getShort(at + 6) & 0xFFFF,
                Arrays.copyOfRange(packet, at + ECHO_HEADER, end)));
    }

    /**
     * The IP version of a packet, from its first byte and length.
     *
     * @param packet any bytes
     * @return 4 or 6, or 0 when the bytes are too short for the header of the version they name
     */
    public static int version(byte[] packet) {
        if (packet.length >= IPV4_HEADER && (packet[0] & 0xF0) == 0x40) {
            return 4;
        }
        if (packet.length >= IPV6_HEADER && (packet[0] & 0xF0) == 0x60) {
            return 6;
        }
        return 0;
    }

    /**
     * The source address of an IP packet.
     *
     * @param packet any bytes
     * @return the source address, or empty when the bytes are not an IPv4 or IPv6 header
     */
    public static Optional<InetAddress> source(byte[] packet) {
        return version(packet) == 0 ? Optional.empty() : Optional.of(address(packet, true));
    }

    /**
     * The destination address of an IP packet.
     *
     * @param packet any bytes
     * @return the destination address, or empty when the bytes are not an IPv4 or IPv6 header
     */
    public static Optional<InetAddress> destination(byte[] packet) {
        return version(packet) == 0 ? Optional.empty() : Optional.of(address(packet, false));
    }

    /**
     * The protocol of an IPv4 packet or the next header of an IPv6 packet, such as {@link #PROTOCOL_UDP}.
     *
     * @param packet any bytes
     * @return the protocol number, or empty when the bytes are not an IPv4 or IPv6 header
     */
    public static OptionalInt protocol(byte[] packet) {
        return switch (version(packet)) {
            case 4 -> OptionalInt.of(packet[9] & 0xFF);
            case 6 -> OptionalInt.of(packet[6] & 0xFF);
            default -> OptionalInt.empty();
        };
    }

    /**
     * Whether the checksums of a packet are right: the IPv4 header checksum, and the UDP, ICMP or ICMPv6 checksum
     * where the packet carries one of those (a UDP checksum of 0 over IPv4 means none and counts as right).
     *
     * @param packet an IPv4 or IPv6 packet
     * @return false when a checksum is wrong or the packet is not a well-formed IP packet
     */
    public static boolean checksumsValid(byte[] packet) {
        int version = version(packet);
        if (version == 0 || transportEnd(packet) < 0) {
            return false;
        }
        int at = headerLength(packet);
        if (version == 4 && InternetChecksum.finish(InternetChecksum.sum(packet, 0, at, 0)) != 0) {
            return false;
        }
        int protocol = protocol(packet).getAsInt();
        int length = transportEnd(packet) - at;
        if (protocol == PROTOCOL_UDP && length >= UDP_HEADER) {
            boolean none = version == 4 && packet[at + 6] == 0 && packet[at + 7] == 0;
            return none || transportChecksum(packet, protocol, at, length) == 0;
        }
        if ((protocol == PROTOCOL_ICMP && version == 4) || (protocol == PROTOCOL_ICMPV6 && version == 6)) {
            return transportChecksum(packet, protocol, at, length) == 0;
        }
        return true;
    }

    private static void checkAddresses(InetAddress source, InetAddress destination) {
        if (source == null || destination == null) {
            throw new IllegalArgumentException("source and destination must not be null");
        }
        if ((source instanceof Inet4Address) != (destination instanceof Inet4Address)) {
            throw new IllegalArgumentException("source " + source.getHostAddress() + " and destination "
                    + destination.getHostAddress() + " must both be IPv4 or both IPv6");
        }
    }

    private static void checkPort(String name, int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(name + " " + value + " out of 0..65535");
        }
    }

    private static byte[] checkSize(String name, byte[] bytes, int transportHeader, InetAddress source) {
        if (bytes == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        int max = source instanceof Inet4Address ? MAX_IPV4_PACKET - IPV4_HEADER - transportHeader
                : MAX_IPV6_PAYLOAD - transportHeader;
        if (bytes.length > max) {
            throw new IllegalArgumentException(name + " of " + bytes.length + " bytes is longer than " + max);
        }
        return bytes.clone();
    }

    private static int echoType(boolean v4, boolean reply) {
        if (v4) {
            return reply ? 0 : 8;
        }
        return reply ? 129 : 128;
    }

    /** A packet with the IP header filled in and room for {@code transportLength} bytes after it. */
    private static byte[] ipPacket(InetAddress source, InetAddress destination, int protocol, int transportLength) {
        byte[] s = source.getAddress();
        byte[] d = destination.getAddress();
        if (s.length == 4) {
            ByteBuffer b = ByteBuffer.allocate(IPV4_HEADER + transportLength);
            b.put((byte) 0x45).put((byte) 0).putShort((short) (IPV4_HEADER + transportLength));
            b.putShort((short) 0).putShort((short) 0x4000); // identification 0, don't fragment
            b.put((byte) HOP_LIMIT).put((byte) protocol).putShort((short) 0).put(s).put(d);
            b.putShort(10, (short) InternetChecksum.finish(InternetChecksum.sum(b.array(), 0, IPV4_HEADER, 0)));
            return b.array();
        }
        ByteBuffer b = ByteBuffer.allocate(IPV6_HEADER + transportLength);
        b.putInt(0x60000000).putShort((short) transportLength).put((byte) protocol).put((byte) HOP_LIMIT);
        b.put(s).put(d);
        return b.array();
    }

    /** The checksum over a transport message whose checksum field is zero or right: 0 when it is right. */
    private static int transportChecksum(byte[] packet, int protocol, int at, int length) {
        long initial = protocol == PROTOCOL_ICMP ? 0 : InternetChecksum.pseudoHeader(packet, protocol, length);
        return InternetChecksum.finish(InternetChecksum.sum(packet, at, length, initial));
    }

    private static int headerLength(byte[] packet) {
        return version(packet) == 4 ? (packet[0] & 0x0F) * 4 : IPV6_HEADER;
    }

    /** The end of the IP payload as the header gives it, or -1 when the lengths don't fit the bytes. */
    private static int transportEnd(byte[] packet) {
        ByteBuffer b = ByteBuffer.wrap(packet);
        return switch (version(packet)) {
            case 4 -> {
                int total = b.getShort(2) & 0xFFFF;
                int header = headerLength(packet);
                yield header >= IPV4_HEADER && total >= header && total <= packet.length ? total : -1;
            }
            case 6 -> {
                int total = IPV6_HEADER + (b.getShort(4) & 0xFFFF);
                yield total <= packet.length ? total : -1;
            }
            default -> -1;
        };
    }

    /** Where the transport header starts, or -1 when the packet is malformed, a fragment or another protocol. */
    private static int transportStart(byte[] packet, int v4Protocol, int v6Protocol) {
        int version = version(packet);
        if (version == 0 || transportEnd(packet) < 0) {
            return -1;
        }
        int protocol = protocol(packet).getAsInt();
        if (version == 4) {
            boolean fragment = (ByteBuffer.wrap(packet).getShort(6) & 0x3FFF) != 0; // more fragments or an offset
            return protocol == v4Protocol && !fragment ? headerLength(packet) : -1;
        }
        return protocol == v6Protocol ? IPV6_HEADER : -1;
    }

    private static InetAddress address(byte[] packet, boolean source) {
        boolean v4 = version(packet) == 4;
        int length = v4 ? 4 : 16;
        int at = (v4 ? 12 : 8) + (source ? 0 : length);
        byte[] bytes = Arrays.copyOfRange(packet, at, at + length);
        try {
            // Inet6Address keeps an IPv4-mapped address (::ffff:a.b.c.d) IPv6, as the packet it came from.
            return v4 ? InetAddress.getByAddress(bytes) : Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }
}
