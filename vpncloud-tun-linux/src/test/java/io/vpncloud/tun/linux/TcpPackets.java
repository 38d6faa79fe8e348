package io.vpncloud.tun.linux;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** Builds and parses IPv4/IPv6 TCP packets for the tests, with checksums from {@link ReferenceChecksum}. */
final class TcpPackets {

    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int PSH = 0x08;
    static final int ACK = 0x10;
    static final int ECE = 0x40;
    static final int CWR = 0x80;

    private static final int PROTOCOL_TCP = 6;

    /** What a TCP packet says; {@code ipId} is 0 for IPv6, {@code trafficClass} is TOS for IPv4. */
    record Tcp(int version, byte[] source, byte[] destination, int trafficClass, int ttl, int ipId,
               int sourcePort, int destinationPort, long sequence, long acknowledgement, int flags, int window,
               byte[] options, byte[] payload) {

        /** The same segment with other sequence number, flags and payload. */
        Tcp with(long newSequence, int newFlags, byte[] newPayload) {
            return new Tcp(version, source, destination, trafficClass, ttl, ipId, sourcePort, destinationPort,
                    newSequence, acknowledgement, newFlags, window, options, newPayload);
        }

        int ipHeaderLength() {
            return version == 4 ? 20 : 40;
        }

        int headerLength() {
            return ipHeaderLength() + 20 + options.length;
        }
    }

    private TcpPackets() {
    }

    /** The packet with valid IPv4 header and TCP checksums. */
    static byte[] build(Tcp tcp) {
        int ipHeader = tcp.ipHeaderLength();
        int tcpLength = 20 + tcp.options().length + tcp.payload().length;
        ByteBuffer packet = ByteBuffer.allocate(ipHeader + tcpLength);
        if (tcp.version() == 4) {
            packet.put((byte) 0x45).put((byte) tcp.trafficClass()).putShort((short) (ipHeader + tcpLength));
            packet.putShort((short) tcp.ipId()).putShort((short) 0x4000);
            packet.put((byte) tcp.ttl()).put((byte) PROTOCOL_TCP).putShort((short) 0);
        } else {
            packet.putInt(6 << 28 | tcp.trafficClass() << 20 | 0x12345);
            packet.putShort((short) tcpLength).put((byte) PROTOCOL_TCP).put((byte) tcp.ttl());
        }
        packet.put(tcp.source()).put(tcp.destination());
        if (tcp.version() == 4) {
            packet.putShort(10, (short) ReferenceChecksum.checksum(packet.array(), 0, ipHeader, 0));
        }
        packet.putShort((short) tcp.sourcePort()).putShort((short) tcp.destinationPort());
        packet.putInt((int) tcp.sequence()).putInt((int) tcp.acknowledgement());
        packet.put((byte) ((5 + tcp.options().length / 4) << 4)).put((byte) tcp.flags());
        packet.putShort((short) tcp.window()).putShort((short) 0).putShort((short) 0);
        packet.put(tcp.options()).put(tcp.payload());
        byte[] bytes = packet.array();
        int pseudo = ReferenceChecksum.pseudoHeaderSum(bytes, PROTOCOL_TCP, tcpLength);
        packet.putShort(ipHeader + 16, (short) ReferenceChecksum.checksum(bytes, ipHeader, tcpLength, pseudo));
        return bytes;
    }

    /**
     * The TCP packet in {@code packet}.
     *
     * @throws AssertionError when it is no TCP packet, a length field is wrong or a checksum does not verify
     */
    static Tcp parse(byte[] packet) {
        ByteBuffer buffer = ByteBuffer.wrap(packet);
        int version = (packet[0] >> 4) & 0x0F;
        boolean ipv4 = version == 4;
        int ipHeader = ipv4 ? (packet[0] & 0x0F) * 4 : 40;
        check(ipv4 || version == 6, "IP version " + version);
        check(packet[ipv4 ? 9 : 6] == PROTOCOL_TCP, "not TCP");
        if (ipv4) {
            check((buffer.getShort(2) & 0xFFFF) == packet.length, "IPv4 total length");
            check(ReferenceChecksum.checksum(packet, 0, ipHeader, 0) == 0, "IPv4 header checksum");
        } else {
            check((buffer.getShort(4) & 0xFFFF) == packet.length - 40, "IPv6 payload length");
        }
        int tcpLength = packet.length - ipHeader;
        int pseudo = ReferenceChecksum.pseudoHeaderSum(packet, PROTOCOL_TCP, tcpLength);
        check(ReferenceChecksum.checksum(packet, ipHeader, tcpLength, pseudo) == 0, "TCP checksum");
        int tcpHeader = ((packet[ipHeader + 12] >> 4) & 0x0F) * 4;
        int addressLength = ipv4 ? 4 : 16;
        int addresses = ipv4 ? 12 : 8;
        return new Tcp(version,
                Arrays.copyOfRange(packet, addresses, addresses + addressLength),
                Arrays.copyOfRange(packet, addresses + addressLength, addresses + 2 * addressLength),
                ipv4 ? packet[1] & 0xFF : (buffer.getShort(0) >> 4) & 0xFF,
                packet[ipv4 ? 8 : 7] & 0xFF,
                ipv4 ? buffer.getShort(4) & 0xFFFF : 0,
                buffer.getShort(ipHeader) & 0xFFFF, buffer.getShort(ipHeader + 2) & 0xFFFF,
                buffer.getInt(ipHeader + 4) & 0xFFFF_FFFFL, buffer.getInt(ipHeader + 8) & 0xFFFF_FFFFL,
                packet[ipHeader + 13] & 0xFF, buffer.getShort(ipHeader + 14) & 0xFFFF,
                Arrays.copyOfRange(packet, ipHeader + 20, ipHeader + tcpHeader),
                Arrays.copyOfRange(packet, ipHeader + tcpHeader, packet.length));
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError("bad packet: " + what);
        }
    }
}
