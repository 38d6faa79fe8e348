package io.vpncloud.core;

import io.vpncloud.api.IpPackets;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/** Short forms of {@link IpPackets} for the tests: IPv4/UDP packets from address texts, payloads as text. */
public final class Ipv4Packets {
    private Ipv4Packets() {
    }

    /** An IPv4/UDP packet with valid checksums. */
    public static byte[] udp(String source, int sourcePort, String destination, int destinationPort, byte[] payload) {
        return IpPackets.udp(address(source), sourcePort, address(destination), destinationPort, payload);
    }

    /** A UDP packet carrying a text. */
    public static byte[] udp(String source, String destination, String text) {
        return udp(source, 40000, destination, 40000, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The UDP payload of a packet, as text. */
    public static String payloadText(byte[] packet) {
        byte[] payload = IpPackets.parseUdp(packet).orElseThrow(() -> new AssertionError("not UDP")).payload();
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** The destination address of an IP packet. */
    public static String destination(byte[] packet) {
        return IpPackets.destination(packet).orElseThrow(() -> new AssertionError("not IP")).getHostAddress();
    }

    private static InetAddress address(String text) {
        try {
            InetAddress a = InetAddress.getByName(text);
            if (!(a instanceof Inet4Address)) {
                throw new IllegalArgumentException("not IPv4: " + text);
            }
            return a;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
