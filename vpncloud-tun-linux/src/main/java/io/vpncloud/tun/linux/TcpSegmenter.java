package io.vpncloud.tun.linux;

import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits what an offload TUN descriptor reads (a {@link VirtioNetHeader} and a packet, in a {@link NativeFrame})
 * into ordinary IP packets with complete checksums, one per {@link #next} call: a TCP super-packet of up to
 * 64 KiB into segments of {@code gso_size} payload bytes, as the kernel's own TSO would have cut it, and any
 * other packet as it is, after finishing a checksum the kernel left to the device. On a TAP descriptor the
 * packets are Ethernet frames: each segment gets a copy of the super-packet's Ethernet header (802.1Q tag
 * included), and the virtio-net header's offsets count from the frame's start.
 *
 * <p>Per segment i: IPv4 total length, identification + i and header checksum, or IPv6 payload length; TCP
 * sequence number + i * gso_size, FIN and PSH only on the last segment, CWR only on the first, and the full TCP
 * checksum. A frame that does not make sense (unknown GSO type, lengths that do not add up) is dropped and
 * counted. Used by the one reading thread only.
 */
final class TcpSegmenter {

    private static final Logger LOG = LoggerFactory.getLogger(TcpSegmenter.class);

    private static final int PACKET = VirtioNetHeader.SIZE;
    private static final int IPV6_HEADER = 40;
    private static final int TCP_HEADER = 20;
    private static final int TCP_CHECKSUM = 16;
    private static final int TCP_FIN = 0x01;
    private static final int TCP_PSH = 0x08;
    private static final int TCP_CWR = 0x80;

    private final OffloadCounters counters;
    /** Whether packets are Ethernet frames (TAP) rather than IP packets (TUN). */
    private final boolean ethernet;

    private ByteBuffer frame;
    private int packetLength;
    /** The bytes before the IP header: 0, or the Ethernet header's 14 or 18. */
    private int link;
    /** 0 for a packet passed on whole; else the payload bytes per segment. */
    private int gsoSize;
    private boolean ipv4;
    private int ipHeaderLength;
    /** Link, IP and TCP header: what every segment starts with. */
    private int headerLength;
    private int segmentCount;
    private int nextSegment;

    /** A segmenter for a TUN descriptor: IP packets. */
    TcpSegmenter(OffloadCounters counters) {
        this(counters, false);
    }

    /** A segmenter for IP packets or, with {@code ethernet}, for the Ethernet frames of a TAP descriptor. */
    TcpSegmenter(OffloadCounters counters, boolean ethernet) {
        this.counters = counters;
        this.ethernet = ethernet;
    }

    /** Whether segments of the last loaded frame remain. */
    boolean hasNext() {
        return nextSegment < segmentCount;
    }

    /**
     * Takes a frame of {@code length} bytes (header and packet) read from the descriptor. Finishes a pending
     * checksum of a whole packet in place. A frame that makes no sense yields no segments.
     */
    void load(ByteBuffer frame, int length) {
        this.frame = frame;
        nextSegment = 0;
        segmentCount = 0;
        packetLength = length - PACKET;
        if (packetLength <= 0) {
            drop("a frame of " + length + " bytes has no packet");
            return;
        }
        int gsoType = VirtioNetHeader.gsoType(frame) & ~VirtioNetHeader.GSO_ECN;
        switch (gsoType) {
            case VirtioNetHeader.GSO_NONE -> loadWhole();
            case VirtioNetHeader.GSO_TCPV4, VirtioNetHeader.GSO_TCPV6 -> loadSuperPacket(gsoType);
            default -> drop("unknown GSO type " + gsoType);
        }
    }

    /**
     * Puts the next segment at {@code dst}'s position and advances it.
     *
     * @return the segment length, or -1 when the segment does not fit {@code dst} (it is dropped)
     */
    int next(ByteBuffer dst) {
        int index = nextSegment++;
        if (gsoSize == 0) {
            return copyWhole(dst);
        }
        int payloadStart = headerLength + index * gsoSize;
        int payloadLength = Math.min(gsoSize, packetLength - payloadStart);
        int length = headerLength + payloadLength;
        if (length > dst.remaining()) {
            drop("a segment of " + length + " bytes does not fit " + dst.remaining() + " bytes");
            return -1;
        }
        int base = dst.position();
        dst.put(base, frame, PACKET, headerLength);
        dst.put(base + headerLength, frame, PACKET + payloadStart, payloadLength);
        fixIpHeader(dst, base + link, length - link, index);
        fixTcpHeader(dst, base + link, length - link, index);
        dst.position(base + length);
        return length;
    }

    private void loadWhole() {
        gsoSize = 0;
        if ((VirtioNetHeader.flags(frame) & VirtioNetHeader.F_NEEDS_CSUM) != 0 && !finishChecksum()) {
            return;
        }
        segmentCount = 1;
    }

    /**
     * Finishes the checksum the kernel left open: the field holds the pseudo-header sum, so the sum from
     * {@code csum_start} to the end, field included, is the whole one. A result of 0 is stored as 0xFFFF, its
     * equal in one's complement, because 0 means "no checksum" to UDP.
     */
    private boolean finishChecksum() {
        int start = VirtioNetHeader.csumStart(frame);
        int field = start + VirtioNetHeader.csumOffset(frame);
        if (field + 2 > packetLength) {
            drop("checksum field at " + field + " beyond a packet of " + packetLength + " bytes");
            return false;
        }
        int checksum = InternetChecksum.finish(InternetChecksum.sum(frame, PACKET + start, PACKET + packetLength, 0));
        NetworkOrder.putU16(frame, PACKET + field, checksum == 0 ? 0xFFFF : checksum);
        return true;
    }

    private void loadSuperPacket(int gsoType) {
        gsoSize = VirtioNetHeader.gsoSize(frame);
        String problem = superPacketProblem(gsoType);
        if (!problem.isEmpty()) {
            drop(problem);
            return;
        }
        int payloadLength = packetLength - headerLength;
        segmentCount = (payloadLength + gsoSize - 1) / gsoSize;
        counters.superPacketRead(segmentCount);
    }

    /** Why the frame is no TCP super-packet this class can cut, or empty; sets {@link #headerLength}. */
    private String superPacketProblem(int gsoType) {
        ipv4 = gsoType == VirtioNetHeader.GSO_TCPV4;
        link = ethernet ? EthernetHeader.ipOffset(frame, PACKET, packetLength) : 0;
        if (link < 0 || ethernet && EthernetHeader.ipVersion(frame, PACKET, link) != (ipv4 ? 4 : 6)) {
            return "GSO type " + gsoType + " on an Ethernet frame of " + packetLength + " bytes with EtherType "
                    + NetworkOrder.u16(frame, PACKET + 12);
        }
        ipHeaderLength = VirtioNetHeader.csumStart(frame) - link;
        int version = NetworkOrder.u8(frame, PACKET + link) >>> 4;
        if (gsoSize == 0 || VirtioNetHeader.csumOffset(frame) != TCP_CHECKSUM || version != (ipv4 ? 4 : 6)) {
            return "GSO type " + gsoType + " with gso_size " + gsoSize + ", csum_offset "
                    + VirtioNetHeader.csumOffset(frame) + " and IP version " + version;
        }
        if (ipv4 ? !ipv4HeaderMatches() : !ipv6HeaderMatches()) {
            return "an IPv" + version + " header that does not match a TCP packet of " + (packetLength - link)
                    + " bytes with csum_start " + VirtioNetHeader.csumStart(frame);
        }
        int tcpHeaderLength = (NetworkOrder.u8(frame, PACKET + link + ipHeaderLength + 12) >>> 4) * 4;
        headerLength = link + ipHeaderLength + tcpHeaderLength;
        if (tcpHeaderLength < TCP_HEADER || headerLength >= packetLength) {
            return "a TCP header of " + tcpHeaderLength + " bytes in a packet of " + packetLength + " bytes";
        }
        return "";
    }

    private boolean ipv4HeaderMatches() {
        int ip = PACKET + link;
        return ipHeaderLength == (NetworkOrder.u8(frame, ip) & 0x0F) * 4 && ipHeaderLength >= 20
                && NetworkOrder.u8(frame, ip + 9) == InternetChecksum.PROTOCOL_TCP
                && NetworkOrder.u16(frame, ip + 2) == packetLength - link;
    }

    private boolean ipv6HeaderMatches() {
        int ip = PACKET + link;
        return ipHeaderLength == IPV6_HEADER && NetworkOrder.u8(frame, ip + 6) == InternetChecksum.PROTOCOL_TCP
                && NetworkOrder.u16(frame, ip + 4) == packetLength - link - IPV6_HEADER;
    }

    private int copyWhole(ByteBuffer dst) {
        if (packetLength > dst.remaining()) {
            drop("a packet of " + packetLength + " bytes does not fit " + dst.remaining() + " bytes");
            return -1;
        }
        int base = dst.position();
        dst.put(base, frame, PACKET, packetLength);
        dst.position(base + packetLength);
        return packetLength;
    }

    /** Fixes the IP header of the segment's IP packet of {@code length} bytes at {@code base}. */
    private void fixIpHeader(ByteBuffer dst, int base, int length, int index) {
        if (!ipv4) {
            NetworkOrder.putU16(dst, base + 4, length - IPV6_HEADER);
            return;
        }
        NetworkOrder.putU16(dst, base + 2, length);
        NetworkOrder.putU16(dst, base + 4, NetworkOrder.u16(dst, base + 4) + index);
        InternetChecksum.fixIpv4Header(dst, base, ipHeaderLength);
    }

    /** Fixes the TCP header of the segment's IP packet of {@code length} bytes at {@code base}. */
    private void fixTcpHeader(ByteBuffer dst, int base, int length, int index) {
        int tcp = base + ipHeaderLength;
        NetworkOrder.putU32(dst, tcp + 4, NetworkOrder.u32(dst, tcp + 4) + (long) index * gsoSize);
        int flags = NetworkOrder.u8(dst, tcp + 13);
        if (index != segmentCount - 1) {
            flags &= ~(TCP_FIN | TCP_PSH);
        }
        if (index != 0) {
            flags &= ~TCP_CWR;
        }
        dst.put(tcp + 13, (byte) flags);
        int tcpLength = length - ipHeaderLength;
        NetworkOrder.putU16(dst, tcp + TCP_CHECKSUM, 0);
        long sum = InternetChecksum.pseudoHeaderSum(dst, base, InternetChecksum.PROTOCOL_TCP, tcpLength);
        NetworkOrder.putU16(dst, tcp + TCP_CHECKSUM, InternetChecksum.finish(InternetChecksum.sum(dst, tcp,
                base + length, sum)));
    }

    private void drop(String reason) {
        segmentCount = 0;
        counters.dropped();
        LOG.debug("Dropped a packet read from the {} device: {}", ethernet ? "TAP" : "TUN", reason);
    }
}
