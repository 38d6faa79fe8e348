package io.vpncloud.tun.linux;

import java.nio.ByteBuffer;

/**
 * A packet in a {@link NativeFrame} on its way to an offload TUN descriptor, and, when it is a plain TCP data
 * segment, the start of a run that later segments of the same connection are appended to. Knows the rules
 * for appending (the same ones the kernel's GRO uses, as in wireguard-go's tun offload) and how to label the
 * result for the kernel.
 */
final class MergeableTcpPacket {

    /** The most segments one merged packet carries. */
    static final int MAX_SEGMENTS = 64;
    /** The largest packet, merged or not. */
    static final int MAX_LENGTH = 65535;

    private static final int IP = VirtioNetHeader.SIZE;
    private static final int IPV4_HEADER = 20;
    private static final int IPV6_HEADER = 40;
    private static final int TCP_HEADER = 20;
    private static final int TCP_CHECKSUM = 16;
    private static final int TCP_ACK = 0x10;
    private static final int TCP_PSH = 0x08;

    final NativeFrame frame = new NativeFrame();
    private final ByteBuffer buffer = frame.buffer;

    private int length;
    private boolean mergeable;
    private boolean ipv4;
    private int ipHeaderLength;
    private int headerLength;
    /** The payload length of the first segment: the segment size of the run. */
    private int segmentSize;
    private int segments;
    private long nextSequence;
    /** Set when the last segment was shorter or had PSH: nothing may follow it. */
    private boolean closed;

    /**
     * Copies the packet from {@code src}'s position to its limit and advances the position; tells whether it
     * is a TCP data segment that can start or join a run.
     */
    void load(ByteBuffer src) {
        length = src.remaining();
        buffer.put(IP, src, src.position(), length);
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
        return next.mergeable && !closed && segments < MAX_SEGMENTS && length + next.payloadLength() <= MAX_LENGTH
                && next.ipv4 == ipv4 && next.headerLength == headerLength && next.ipHeaderLength == ipHeaderLength
                && next.payloadLength() <= segmentSize && next.sequence() == nextSequence
                && sameIpFields(next) && sameTcpFields(next);
    }

    /** Appends the payload of {@code next}, which this run {@linkplain #accepts accepts}. */
    void append(MergeableTcpPacket next) {
        int payload = next.payloadLength();
        buffer.put(IP + length, next.buffer, IP + next.headerLength, payload);
        length += payload;
        nextSequence = (nextSequence + payload) & 0xFFFF_FFFFL;
        segments++;
        boolean push = (next.tcpFlags() & TCP_PSH) != 0;
        if (push) {
            int flags = IP + ipHeaderLength + 13;
            buffer.put(flags, (byte) (buffer.get(flags) | TCP_PSH));
        }
        closed = push || payload < segmentSize;
    }

    /** Prepares the frame for the kernel and returns its length: a single packet as it came, a run labelled. */
    int finish() {
        if (segments <= 1) {
            VirtioNetHeader.putPlain(buffer);
            return IP + length;
        }
        if (ipv4) {
            NetworkOrder.putU16(buffer, IP + 2, length);
            InternetChecksum.fixIpv4Header(buffer, IP, ipHeaderLength);
        } else {
            NetworkOrder.putU16(buffer, IP + 4, length - IPV6_HEADER);
        }
        VirtioNetHeader.putTcpSegmentation(buffer, ipv4 ? VirtioNetHeader.GSO_TCPV4 : VirtioNetHeader.GSO_TCPV6,
                headerLength, segmentSize, ipHeaderLength, TCP_CHECKSUM);
        // With NEEDS_CSUM the field holds the pseudo-header sum (not inverted); the kernel adds the rest.
        long pseudoHeader = InternetChecksum.pseudoHeaderSum(buffer, IP, InternetChecksum.PROTOCOL_TCP,
                length - ipHeaderLength);
        NetworkOrder.putU16(buffer, IP + ipHeaderLength + TCP_CHECKSUM, InternetChecksum.fold(pseudoHeader));
        return IP + length;
    }

    private boolean parse() {
        segments = 1;
        closed = false;
        if (!parseIpHeader()) {
            return false;
        }
        int tcp = IP + ipHeaderLength;
        int tcpHeaderLength = (NetworkOrder.u8(buffer, tcp + 12) >>> 4) * 4;
        headerLength = ipHeaderLength + tcpHeaderLength;
        if (tcpHeaderLength < TCP_HEADER || headerLength >= length || (tcpFlags() & ~TCP_PSH) != TCP_ACK) {
            return false;
        }
        segmentSize = payloadLength();
        nextSequence = (sequence() + segmentSize) & 0xFFFF_FFFFL;
        closed = (tcpFlags() & TCP_PSH) != 0;
        return true;
    }

    /** IPv4 without options or fragmentation, or IPv6 without extension headers, carrying all of TCP. */
    private boolean parseIpHeader() {
        if (length < IPV4_HEADER + TCP_HEADER) {
            return false;
        }
        int version = NetworkOrder.u8(buffer, IP) >>> 4;
        ipv4 = version == 4;
        if (ipv4) {
            ipHeaderLength = IPV4_HEADER;
            return NetworkOrder.u8(buffer, IP) == 0x45 && NetworkOrder.u16(buffer, IP + 2) == length
                    && (NetworkOrder.u16(buffer, IP + 6) & 0x3FFF) == 0
                    && NetworkOrder.u8(buffer, IP + 9) == InternetChecksum.PROTOCOL_TCP;
        }
        ipHeaderLength = IPV6_HEADER;
        return version == 6 && length >= IPV6_HEADER + TCP_HEADER
                && NetworkOrder.u16(buffer, IP + 4) == length - IPV6_HEADER
                && NetworkOrder.u8(buffer, IP + 6) == InternetChecksum.PROTOCOL_TCP;
    }

    /** TOS/traffic class, TTL/hop limit, the DF bit and the addresses. */
    private boolean sameIpFields(MergeableTcpPacket next) {
        ByteBuffer other = next.buffer;
        if (ipv4) {
            return buffer.get(IP + 1) == other.get(IP + 1) && buffer.get(IP + 8) == other.get(IP + 8)
                    && (NetworkOrder.u8(buffer, IP + 6) >>> 5) == (NetworkOrder.u8(other, IP + 6) >>> 5)
                    && NetworkOrder.sameBytes(buffer, IP + 12, other, IP + 12, 8);
        }
        return NetworkOrder.u16(buffer, IP) >>> 4 == NetworkOrder.u16(other, IP) >>> 4
                && buffer.get(IP + 7) == other.get(IP + 7)
                && NetworkOrder.sameBytes(buffer, IP + 8, other, IP + 8, 32);
    }

    /** Ports, acknowledgement number, window and the option bytes. */
    private boolean sameTcpFields(MergeableTcpPacket next) {
        int tcp = IP + ipHeaderLength;
        ByteBuffer other = next.buffer;
        return NetworkOrder.sameBytes(buffer, tcp, other, tcp, 4)
                && NetworkOrder.sameBytes(buffer, tcp + 8, other, tcp + 8, 4)
                && NetworkOrder.sameBytes(buffer, tcp + 14, other, tcp + 14, 2)
                && NetworkOrder.sameBytes(buffer, tcp + TCP_HEADER, other, tcp + TCP_HEADER,
                        headerLength - ipHeaderLength - TCP_HEADER);
    }

    private int payloadLength() {
        return length - headerLength;
    }

    private long sequence() {
        return NetworkOrder.u32(buffer, IP + ipHeaderLength + 4);
    }

    private int tcpFlags() {
        return NetworkOrder.u8(buffer, IP + ipHeaderLength + 13);
    }
}
