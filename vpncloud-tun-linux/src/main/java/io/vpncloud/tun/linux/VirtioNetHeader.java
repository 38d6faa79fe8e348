package io.vpncloud.tun.linux;

import java.nio.ByteBuffer;

/**
 * The legacy 10-byte {@code struct virtio_net_hdr} (linux/virtio_net.h) that precedes every packet on a TUN
 * descriptor opened with {@code IFF_VNET_HDR}, at index 0 of a frame buffer. Its fields are in host order, which
 * is little-endian on every architecture this module runs on: flags u8, gso_type u8, hdr_len u16, gso_size u16,
 * csum_start u16, csum_offset u16.
 */
final class VirtioNetHeader {

    static final int SIZE = 10;

    /** The checksum from {@code csum_start} to the end is still to be done and goes to {@code csum_offset}. */
    static final int F_NEEDS_CSUM = 1;

    static final int GSO_NONE = 0;
    static final int GSO_TCPV4 = 1;
    static final int GSO_TCPV6 = 4;
    /** Set on top of a GSO type when the segments carry ECN; masked off, the segments keep their ECN bits. */
    static final int GSO_ECN = 0x80;

    private VirtioNetHeader() {
    }

    static int flags(ByteBuffer frame) {
        return frame.get(0) & 0xFF;
    }

    static int gsoType(ByteBuffer frame) {
        return frame.get(1) & 0xFF;
    }

    static int gsoSize(ByteBuffer frame) {
        return u16(frame, 4);
    }

    static int csumStart(ByteBuffer frame) {
        return u16(frame, 6);
    }

    static int csumOffset(ByteBuffer frame) {
        return u16(frame, 8);
    }

    /** An all-zero header: a whole packet with complete checksums. */
    static void putPlain(ByteBuffer frame) {
        frame.putLong(0, 0).putShort(8, (short) 0);
    }

    /** A header for a TCP segment the kernel is to treat as one received GRO packet made of segments of {@code gsoSize} payload bytes. */
    static void putTcpSegmentation(ByteBuffer frame, int gsoType, int headerLength, int gsoSize, int ipHeaderLength,
            int checksumOffset) {
        frame.put(0, (byte) F_NEEDS_CSUM);
        frame.put(1, (byte) gsoType);
        putU16(frame, 2, headerLength);
        putU16(frame, 4, gsoSize);
        putU16(frame, 6, ipHeaderLength);
        putU16(frame, 8, checksumOffset);
    }

    private static int u16(ByteBuffer frame, int index) {
        return (frame.get(index) & 0xFF) | (frame.get(index + 1) & 0xFF) << 8;
    }

    private static void putU16(ByteBuffer frame, int index, int value) {
        frame.put(index, (byte) value);
        frame.put(index + 1, (byte) (value >>> 8));
    }
}
