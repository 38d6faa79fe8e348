package io.vpncloud.bench;

import java.nio.ByteBuffer;

/** IPv4 packets of a chosen size for the benchmarks: only the header fields a VPN node looks at are real. */
final class BenchPackets {
    private static final int IPV4_HEADER = 20;

    private BenchPackets() {
    }

    /**
     * An IPv4/UDP packet of exactly {@code size} bytes from {@code source} to {@code destination}, with a valid
     * header checksum and a zero payload.
     */
    static byte[] ipv4(byte[] source, byte[] destination, int size) {
        if (size < IPV4_HEADER + 8 || size > 65535) {
            throw new IllegalArgumentException("an IPv4/UDP packet has 28..65535 bytes, not " + size);
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put((byte) 0x45).put((byte) 0).putShort((short) size).putShort((short) 0).putShort((short) 0x4000);
        b.put((byte) 64).put((byte) 17).putShort((short) 0).put(source).put(destination);
        b.putShort(10, headerChecksum(b.array()));
        b.putShort((short) 40000).putShort((short) 40000).putShort((short) (size - IPV4_HEADER)).putShort((short) 0);
        return b.array();
    }

    /** The address {@code 10.0.a.b}. */
    static byte[] address(int a, int b) {
        return new byte[] {10, 0, (byte) a, (byte) b};
    }

    private static short headerChecksum(byte[] packet) {
        int sum = 0;
        for (int i = 0; i < IPV4_HEADER; i += 2) {
            sum += ((packet[i] & 0xFF) << 8) | (packet[i + 1] & 0xFF);
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (short) ~sum;
    }
}
