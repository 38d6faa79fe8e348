package io.vpncloud.examples;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class UdpPacketTest {

    @Test
    void roundTrip() throws Exception {
        UdpPacket packet = new UdpPacket(InetAddress.getByName("10.0.0.100"), 40000,
                InetAddress.getByName("10.0.0.1"), 7777, "who are you? 1".getBytes(StandardCharsets.UTF_8));
        assertEquals(Optional.of(packet), UdpPacket.parse(packet.toBytes()));
    }

    @Test
    void headerMatchesAnIndependentlyComputedPacket() throws Exception {
        // RFC 1071 worked by hand for this header: 4500 0020 0000 4000 4011 ---- 0a00 0064 0a00 0001
        // sum = 0x4500+0x0020+0x4000+0x4011+0x0a00+0x0064+0x0a00+0x0001 = 0xd996 (no carry) -> checksum ~ = 0x2669
        UdpPacket packet = new UdpPacket(InetAddress.getByName("10.0.0.100"), 0x9c40,
                InetAddress.getByName("10.0.0.1"), 0x1e61, "abcd".getBytes(StandardCharsets.US_ASCII));
        assertEquals("45000020000040004011" + "2669" + "0a0000640a000001" + "9c401e61000c0000" + "61626364",
                HexFormat.of().formatHex(packet.toBytes()));
    }

    @Test
    void notUdpOrTruncatedIsEmpty() {
        byte[] good = new UdpPacket(InetAddress.getLoopbackAddress(), 1, InetAddress.getLoopbackAddress(), 2,
                new byte[] {1, 2, 3}).toBytes();
        byte[] tcp = good.clone();
        tcp[9] = 6;
        assertEquals(Optional.empty(), UdpPacket.parse(tcp));
        assertEquals(Optional.empty(), UdpPacket.parse(java.util.Arrays.copyOf(good, 25)));
        byte[] ipv6 = good.clone();
        ipv6[0] = 0x60;
        assertEquals(Optional.empty(), UdpPacket.parse(ipv6));
        byte[] longUdp = good.clone();
        longUdp[25] = 100;
        assertEquals(Optional.empty(), UdpPacket.parse(longUdp));
        assertArrayEquals(new byte[] {1, 2, 3}, UdpPacket.parse(good).orElseThrow().payload());
    }
}
