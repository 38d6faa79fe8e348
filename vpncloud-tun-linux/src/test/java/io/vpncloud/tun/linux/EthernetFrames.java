package io.vpncloud.tun.linux;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/** Builds and reads the Ethernet frames the TAP tests write and expect: ARP, ICMP echo, 802.1Q tags. */
final class EthernetFrames {

    static final int HEADER = 14;
    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_ARP = 0x0806;
    static final int ETHERTYPE_VLAN = 0x8100;
    static final byte[] BROADCAST = mac("ff:ff:ff:ff:ff:ff");

    private static final int ARP_REQUEST = 1;
    private static final int ICMP_ECHO_REQUEST = 8;
    private static final int PROTOCOL_ICMP = 1;

    /** What an ARP packet says. */
    record Arp(int operation, byte[] senderMac, byte[] senderIp, byte[] targetMac, byte[] targetIp) {
    }

    /** What an ICMP echo packet in an IPv4 frame says; both checksums were verified. */
    record Echo(int type, byte[] sourceIp, byte[] destinationIp, int identifier, int sequence, byte[] payload) {
    }

    private EthernetFrames() {
    }

    static byte[] mac(String text) {
        return HexFormat.ofDelimiter(":").parseHex(text);
    }

    static byte[] destination(byte[] frame) {
        return Arrays.copyOfRange(frame, 0, 6);
    }

    static byte[] source(byte[] frame) {
        return Arrays.copyOfRange(frame, 6, 12);
    }

    static int etherType(byte[] frame) {
        return frame.length < HEADER ? -1 : (frame[12] & 0xFF) << 8 | frame[13] & 0xFF;
    }

    /** A broadcast ARP request: who has {@code targetIp}, tell {@code senderIp} at {@code senderMac}. */
    static byte[] arpRequest(byte[] senderMac, byte[] senderIp, byte[] targetIp) {
        ByteBuffer frame = header(BROADCAST, senderMac, ETHERTYPE_ARP, 28);
        frame.putShort((short) 1).putShort((short) ETHERTYPE_IPV4).put((byte) 6).put((byte) 4)
                .putShort((short) ARP_REQUEST).put(senderMac).put(senderIp).put(new byte[6]).put(targetIp);
        return frame.array();
    }

    /** The ARP packet in an untagged frame, or null when it is none. */
    static Arp parseArp(byte[] frame) {
        if (etherType(frame) != ETHERTYPE_ARP || frame.length < HEADER + 28) {
            return null;
        }
        ByteBuffer arp = ByteBuffer.wrap(frame, HEADER, 28).slice();
        return new Arp(arp.getShort(6) & 0xFFFF, Arrays.copyOfRange(frame, HEADER + 8, HEADER + 14),
                Arrays.copyOfRange(frame, HEADER + 14, HEADER + 18),
                Arrays.copyOfRange(frame, HEADER + 18, HEADER + 24),
                Arrays.copyOfRange(frame, HEADER + 24, HEADER + 28));
    }

    /** An ICMP echo request in an IPv4 packet (with valid checksums) in an untagged frame. */
    static byte[] echoRequest(byte[] destinationMac, byte[] sourceMac, byte[] sourceIp, byte[] destinationIp,
            int identifier, int sequence, byte[] payload) {
        int ipLength = 20 + 8 + payload.length;
        ByteBuffer frame = header(destinationMac, sourceMac, ETHERTYPE_IPV4, ipLength);
        frame.put((byte) 0x45).put((byte) 0).putShort((short) ipLength).putShort((short) sequence)
                .putShort((short) 0x4000).put((byte) 64).put((byte) PROTOCOL_ICMP).putShort((short) 0)
                .put(sourceIp).put(destinationIp);
        frame.put((byte) ICMP_ECHO_REQUEST).put((byte) 0).putShort((short) 0).putShort((short) identifier)
                .putShort((short) sequence).put(payload);
        byte[] bytes = frame.array();
        frame.putShort(HEADER + 10, (short) ReferenceChecksum.checksum(bytes, HEADER, 20, 0));
        frame.putShort(HEADER + 22, (short) ReferenceChecksum.checksum(bytes, HEADER + 20, 8 + payload.length, 0));
        return bytes;
    }

    /**
     * The ICMP echo packet in an untagged IPv4 frame, or null when it is none.
     *
     * @throws AssertionError when a length or checksum is wrong
     */
    static Echo parseEcho(byte[] frame) {
        if (etherType(frame) != ETHERTYPE_IPV4 || frame.length < HEADER + 28 || frame[HEADER + 9] != PROTOCOL_ICMP) {
            return null;
        }
        ByteBuffer ip = ByteBuffer.wrap(frame);
        int ipLength = ip.getShort(HEADER + 2) & 0xFFFF;
        check(frame[HEADER] == 0x45 && ipLength == frame.length - HEADER, "IPv4 header of an echo frame");
        check(ReferenceChecksum.checksum(frame, HEADER, 20, 0) == 0, "IPv4 header checksum");
        check(ReferenceChecksum.checksum(frame, HEADER + 20, ipLength - 20, 0) == 0, "ICMP checksum");
        int icmp = HEADER + 20;
        return new Echo(frame[icmp] & 0xFF, Arrays.copyOfRange(frame, HEADER + 12, HEADER + 16),
                Arrays.copyOfRange(frame, HEADER + 16, HEADER + 20), ip.getShort(icmp + 4) & 0xFFFF,
                ip.getShort(icmp + 6) & 0xFFFF, Arrays.copyOfRange(frame, icmp + 8, frame.length));
    }

    /** The frame with an 802.1Q tag for {@code vlan} (priority 0) between the addresses and the EtherType. */
    static byte[] tagged(byte[] frame, int vlan) {
        ByteBuffer result = ByteBuffer.allocate(frame.length + 4);
        result.put(frame, 0, 12).putShort((short) ETHERTYPE_VLAN).putShort((short) vlan)
                .put(frame, 12, frame.length - 12);
        return result.array();
    }

    private static ByteBuffer header(byte[] destination, byte[] source, int etherType, int payloadLength) {
        return ByteBuffer.allocate(HEADER + payloadLength).put(destination).put(source).putShort((short) etherType);
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError("bad frame: " + what);
        }
    }
}
