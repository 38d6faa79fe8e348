package io.vpncloud.tun.linux;

import java.nio.ByteBuffer;

/**
 * A packet in a {@link NativeFrame} on its way to an offload TUN descriptor, and, when it is a plain TCP data
 * segment, the start of a run that later segments of the same connection are appended to. Knows the rules
 * for appending (the same ones the kernel's GRO uses, as in wireguard-go's tun offload) and how to label the
 * result for the kernel.
 *
 * <p>For a TAP descriptor the packets are Ethernet frames: an untagged frame with EtherType IPv4 or IPv6 is
 * merged like the IP packet it carries, when the Ethernet header is the same byte for byte; frames with an 802.1Q
 * tag or another EtherType are written as they came.
 */
final class MergeableTcpPacket {

    /** The most segments one merged packet carries. */
    static final int MAX_SEGMENTS = 64;
    /** The largest IP packet, merged or not. */
    static final int MAX_LENGTH = 65535;

    /** Where the packet starts in the frame: behind the virtio-net header. */
    private static final int PACKET = VirtioNetHeader.SIZE;
    private static final int IPV4_HEADER = 20;
    private static final int IPV6_HEADER = 40;
    private static final int TCP_HEADER = 20;
    private static final int TCP_CHECKSUM = 16;
    private static final int TCP_ACK = 0x10;
    private static final int TCP_PSH = 0x08;

    final NativeFrame frame = new NativeFrame();
    private final ByteBuffer buffer = frame.buffer;
    /** The bytes before the IP header: 0 for IP packets, the Ethernet header for frames. */
    private final int link;
    /** Where the IP header starts in the frame. */
    private final int ip;

    /** The packet's length, link header included. */
    private int length;
    private boolean mergeable;
    private boolean ipv4;
    private int ipHeaderLength;
    /** Link, IP and TCP header: the bytes before the payload. */
    private int headerLength;
    /** The payload length of the first segment: the segment size of the run. */
    private int segmentSize;
    private int segments;
    private long nextSequence;
    /** Set when the last segment was shorter or had PSH: nothing may follow it. */
    private boolean closed;

    /** A packet of a TUN descriptor: an IP packet. */
    MergeableTcpPacket() {
        this(false);
    }

    /** A packet of a TUN descriptor or, with {@code ethernet}, an Ethernet frame of a TAP descriptor. */
    MergeableTcpPacket(boolean ethernet) {
        link = ethernet ? EthernetHeader.LENGTH : 0;
        ip = PACKET + link;
    }

    /** The longest packet {@link #load} takes: the largest IP packet and any link header around it. */
    int maxLength() {
        return MAX_LENGTH + (link == 0 ? 0 : EthernetHeader.TAGGED_LENGTH);
    }

    /**
     * Copies the packet from {@code src}'s position to its limit and advances the position; tells whether it
     * is a TCP data segment that can start or join a run.
     */
    void load(ByteBuffer src) {
        length = src.remaining();
        buffer.put(PACKET, src, src.position(), length);
        src.position(src.position() + length);
        mergeable = parse();
    }

    boolean mergeable() {
        return mergeable;
    }

    int segments() {
        return segments;
    }

    /** Whether {@code next}, just loaded, continues this run. */
    boolean accepts(MergeableTcpPacket next) {
        return next.mergeable && !closed && segments < MAX_SEGMENTS
                && length - link + next.payloadLength() <= MAX_LENGTH && next.ipv4 == ipv4
                && next.headerLength == headerLength && next.ipHeaderLength == ipHeaderLength
                && next.payloadLength() <= segmentSize && next.sequence() == nextSequence
                && NetworkOrder.sameBytes(buffer, PACKET, next.buffer, PACKET, link)
                && sameIpFields(next) && sameTcpFields(next);
    }

    /** Appends the payload of {@code next}, which this run {@linkplain #accepts accepts}. */
    void append(MergeableTcpPacket next) {
        int payload = next.payloadLength();
        buffer.put(PACKET + length, next.buffer, PACKET + next.headerLength, payload);
        length += payload;
        nextSequence = (nextSequence + payload) & 0xFFFF_FFFFL;
        segments++;
        boolean push = (next.tcpFlags() & TCP_PSH) != 0;
        if (push) {
            int flags = ip + ipHeaderLength + 13;
            buffer.put(flags, (byte) (buffer.get(flags) | TCP_PSH));
        }
        closed = push || payload < segmentSize;
    }

    /** Prepares the frame for the kernel and returns its length: a single packet as it came, a run labelled. */
    int finish() {
        if (segments <= 1) {
            VirtioNetHeader.putPlain(buffer);
            return PACKET + length;
        }
        int ipLength = length - link;
        if (ipv4) {
            NetworkOrder.putU16(buffer, ip + 2, ipLength);
            InternetChecksum.fixIpv4Header(buffer, ip, ipHeaderLength);
        } else {
            NetworkOrder.putU16(buffer, ip + 4, ipLength - IPV6_HEADER);
        }
        // The header's lengths and offsets count from the packet's start, the Ethernet header included.
        VirtioNetHeader.putTcpSegmentation(buffer, ipv4 ? VirtioNetHeader.GSO_TCPV4 : VirtioNetHeader.GSO_TCPV6,
                headerLength, segmentSize, link + ipHeaderLength, TCP_CHECKSUM);
        // With NEEDS_CSUM the field holds the pseudo-header sum (not inverted); the kernel adds the rest.
        long pseudoHeader = InternetChecksum.pseudoHeaderSum(buffer, ip, InternetChecksum.PROTOCOL_TCP,
                ipLength - ipHeaderLength);
        NetworkOrder.putU16(buffer, ip + ipHeaderLength + TCP_CHECKSUM, InternetChecksum.fold(pseudoHeader));
        return PACKET + length;
    }

    private boolean parse() {
        segments = 1;
        closed = false;
        if (!parseIpHeader()) {
            return false;
        }
        int tcp = ip + ipHeaderLength;
        int tcpHeaderLength = (NetworkOrder.u8(buffer, tcp + 12) >>> 4) * 4;
        headerLength = link + ipHeaderLength + tcpHeaderLength;
        if (tcpHeaderLength < TCP_HEADER || headerLength >= length || (tcpFlags() & ~TCP_PSH) != TCP_ACK) {
            return false;
        }
        segmentSize = payloadLength();
        nextSequence = (sequence() + segmentSize) & 0xFFFF_FFFFL;
        closed = (tcpFlags() & TCP_PSH) != 0;
        return true;
    }

    /**
     * IPv4 without options or fragmentation, or IPv6 without extension headers, carrying all of TCP; in an
     * untagged Ethernet frame whose EtherType names that IP version if the packets are frames.
     */
    private boolean parseIpHeader() {
        int ipLength = length - link;
        if (ipLength < IPV4_HEADER + TCP_HEADER) {
            return false;
        }
        int version = NetworkOrder.u8(buffer, ip) >>> 4;
        if (link != 0 && NetworkOrder.u16(buffer, ip - 2) != (version == 4 ? EthernetHeader.ETHERTYPE_IPV4
                : EthernetHeader.ETHERTYPE_IPV6)) {
            return false;
        }
        ipv4 = version == 4;
        if (ipv4) {
            ipHeaderLength = IPV4_HEADER;
            return NetworkOrder.u8(buffer, ip) == 0x45 && NetworkOrder.u16(buffer, ip + 2) == ipLength
                    && (NetworkOrder.u16(buffer, ip + 6) & 0x3FFF) == 0
                    && NetworkOrder.u8(buffer, ip + 9) == InternetChecksum.PROTOCOL_TCP;
        }
        ipHeaderLength = IPV6_HEADER;
        return version == 6 && ipLength >= IPV6_HEADER + TCP_HEADER
                && NetworkOrder.u16(buffer, ip + 4) == ipLength - IPV6_HEADER
                && NetworkOrder.u8(buffer, ip + 6) == InternetChecksum.PROTOCOL_TCP;
    }

    /** TOS/traffic class, TTL/hop limit, the DF bit and the addresses. */
    private boolean sameIpFields(MergeableTcpPacket next) {
        ByteBuffer other = next.buffer;
        if (ipv4) {
            return buffer.get(ip + 1) == other.get(ip + 1) && buffer.get(ip + 8) == other.get(ip + 8)
                    && (NetworkOrder.u8(buffer, ip + 6) >>> 5) == (NetworkOrder.u8(other, ip + 6) >>> 5)
                    && NetworkOrder.sameBytes(buffer, ip + 12, other, ip + 12, 8);
        }
        return NetworkOrder.u16(buffer, ip) >>> 4 == NetworkOrder.u16(other, ip) >>> 4
                && buffer.get(ip + 7) == other.get(ip + 7)
                && NetworkOrder.sameBytes(buffer, ip + 8, other, ip + 8, 32);
    }

    /** Ports, acknowledgement number, window and the option bytes. */
    private boolean sameTcpFields(MergeableTcpPacket next) {
        int tcp = ip + ipHeaderLength;
        ByteBuffer other = next.buffer;
        return NetworkOrder.sameBytes(buffer, tcp, other, tcp, 4)
                && NetworkOrder.sameBytes(buffer, tcp + 8, other, tcp + 8, 4)
                && NetworkOrder.sameBytes(buffer, tcp + 14, other, tcp + 14, 2)
                && NetworkOrder.sameBytes(buffer, tcp + TCP_HEADER, other, tcp + TCP_HEADER,
                        headerLength - link - ipHeaderLength - TCP_HEADER);
    }

    private int payloadLength() {
        return length - headerLength;
    }

    private long sequence() {
        return NetworkOrder.u32(buffer, ip + ipHeaderLength + 4);
    }

    private int tcpFlags() {
        return NetworkOrder.u8(buffer, ip + ipHeaderLength + 13);
    }
}
