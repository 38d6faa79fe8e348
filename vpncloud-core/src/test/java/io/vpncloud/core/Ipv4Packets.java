package io.vpncloud.core;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Builds and reads small IPv4/UDP packets for tests. */
public final class Ipv4Packets {
    private Ipv4Packets() {
    }

    /** An IPv4/UDP packet with valid header checksum (the UDP checksum is left 0, which IPv4 allows). */
    public static byte[] udp(String source, int sourcePort, String destination, int destinationPort, byte[] payload) {
        int total = 20 + 8 + payload.length;
        ByteBuffer b = ByteBuffer.allocate(total);
        b.put((byte) 0x45).put((byte) 0).putShort((short) total).putShort((short) 0).putShort((short) 0x4000);
        b.put((byte) 64).put((byte) 17).putShort((short) 0).put(address(source)).put(address(destination));
        b.putShort(10, checksum(b.array(), 0, 20));
        b.putShort((short) sourcePort).putShort((short) destinationPort).putShort((short) (8 + payload.length))
                .putShort((short) 0).put(payload);
        return b.array();
    }

    /** A UDP packet carrying a text. */
    public static byte[] udp(String source, String destination, String text) {
        return udp(source, 40000, destination, 40000, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The UDP payload of a packet built by {@link #udp}, as text. */
    public static String payloadText(byte[] packet) {
        return new String(packet, 28, packet.length - 28, StandardCharsets.UTF_8);
    }

    /** The destination address of an IPv4 packet. */
    public static String destination(byte[] packet) {
        try {
            return InetAddress.getByAddress(java.util.Arrays.copyOfRange(packet, 16, 20)).getHostAddress();
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] address(String text) {
        try {
            InetAddress a = InetAddress.getByName(text);
            if (!(a instanceof Inet4Address)) {
                throw new IllegalArgumentException("not IPv4: " + text);
            }
            return a.getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static short checksum(byte[] data, int offset, int length) {
        int sum = 0;
        for (int i = offset; i < offset + length; i += 2) {
            sum += ((data[i] & 0xFF) << 8) | (i + 1 < offset + length ? data[i + 1] & 0xFF : 0);
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (short) ~sum;
    }
}
