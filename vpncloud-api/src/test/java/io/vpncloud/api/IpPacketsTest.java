package io.vpncloud.api;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpPacketsTest {

    /** An address pair of one family: IPv4, or IPv6 outside the IPv4-mapped range (which Java turns into IPv4). */
    @Provide
    Arbitrary<List<InetAddress>> addressPair() {
        Arbitrary<InetAddress> v4 = Arbitraries.bytes().array(byte[].class).ofSize(4).map(IpPacketsTest::address);
        Arbitrary<InetAddress> v6 = Arbitraries.bytes().array(byte[].class).ofSize(16).map(b -> {
            b[0] = (byte) 0xfd;
            return address(b);
        });
        return Arbitraries.oneOf(v4.list().ofSize(2), v6.list().ofSize(2));
    }

    @Property(tries = 300)
    void udpRoundTripsWithChecksumsAnIndependentSumAccepts(@ForAll("addressPair") List<InetAddress> addresses,
            @ForAll @IntRange(max = 65535) int sourcePort, @ForAll @IntRange(max = 65535) int destinationPort,
            @ForAll @Size(max = 1500) byte[] payload) {
        byte[] packet = IpPackets.udp(addresses.get(0), sourcePort, addresses.get(1), destinationPort, payload);

        IpPackets.Udp parsed = IpPackets.parseUdp(packet).orElseThrow();
        assertEquals(new IpPackets.Udp(addresses.get(0), sourcePort, addresses.get(1), destinationPort, payload),
                parsed);
        assertArrayEquals(packet, parsed.toBytes());
        assertTrue(independentlyValid(packet, 17), "UDP checksum");
        assertTrue(IpPackets.checksumsValid(packet));
        assertEquals(Optional.of(addresses.get(0)), IpPackets.source(packet));
        assertEquals(Optional.of(addresses.get(1)), IpPackets.destination(packet));
        assertEquals(OptionalInt.of(17), IpPackets.protocol(packet));
        assertEquals(Optional.empty(), IpPackets.parseEcho(packet));
    }

    @Property(tries = 300)
    void echoRoundTripsWithChecksumsAnIndependentSumAccepts(@ForAll("addressPair") List<InetAddress> addresses,
            @ForAll @IntRange(max = 65535) int identifier, @ForAll @IntRange(max = 65535) int sequence,
            @ForAll boolean reply, @ForAll @Size(max = 1500) byte[] data) {
        IpPackets.Echo echo = new IpPackets.Echo(addresses.get(0), addresses.get(1), reply, identifier, sequence, data);
        byte[] packet = echo.toBytes();

        assertEquals(Optional.of(echo), IpPackets.parseEcho(packet));
        boolean v4 = addresses.get(0) instanceof Inet4Address;
        assertTrue(independentlyValid(packet, v4 ? 1 : 58), "ICMP checksum");
        assertTrue(IpPackets.checksumsValid(packet));
        assertEquals(OptionalInt.of(v4 ? 1 : 58), IpPackets.protocol(packet));
        assertEquals(Optional.empty(), IpPackets.parseUdp(packet));
    }

    @Property(tries = 300)
    void aFlippedBitInTheChecksummedBytesIsNoticed(@ForAll("addressPair") List<InetAddress> addresses,
            @ForAll @Size(min = 1, max = 64) byte[] payload, @ForAll @IntRange(max = 1 << 20) int where,
            @ForAll @IntRange(max = 7) int bit) {
        byte[] packet = IpPackets.udp(addresses.get(0), 1000, addresses.get(1), 2000, payload);
        boolean v4 = packet.length == 28 + payload.length;
        // IPv6 has no header checksum: the first 8 bytes (version, lengths, next header, hop limit) are not covered.
        int first = v4 ? 0 : 8;
        int index = first + where % (packet.length - first);
        if (v4 && (index == 8 || index < 4)) {
            index = 12 + where % (packet.length - 12); // a changed TTL, version or length says something else
        }
        packet[index] ^= (byte) (1 << bit);
        assertFalse(IpPackets.checksumsValid(packet), "byte " + index + " bit " + bit);
    }

    /** The numerical example of RFC 1071, section 3. */
    @Test
    void checksumMatchesTheRfcExample() {
        byte[] words = hex("0001f203f4f5f6f7");
        assertEquals(0xddf2, InternetChecksum.finish(InternetChecksum.sum(words, 0, words.length, 0)) ^ 0xFFFF);
    }

    @Test
    void anEchoRequestIsAnsweredWithAValidReply() {
        InetAddress a = address(new byte[] {10, 0, 0, 1});
        InetAddress b = address(new byte[] {10, 0, 0, 2});
        byte[] request = IpPackets.echoRequest(a, b, 0x1c46, 1, "ping".getBytes(StandardCharsets.UTF_8));
        IpPackets.Echo echo = IpPackets.parseEcho(request).orElseThrow();
        assertFalse(echo.reply());
        assertEquals(8, request[20]); // ICMP type echo request
        IpPackets.Echo answer = echo.answer();
        byte[] reply = answer.toBytes();
        assertEquals(0, reply[20]); // echo reply
        assertTrue(answer.reply());
        assertEquals(a, answer.destination());
        assertEquals(0x1c46, answer.identifier());
        assertTrue(IpPackets.checksumsValid(reply));
        assertTrue(independentlyValid(reply, 1));
    }

    @Test
    void ipv4HeaderMatchesOneWorkedByHand() {
        // RFC 1071 by hand for this header: 4500 0020 0000 4000 4011 ---- 0a00 0064 0a00 0001
        // sum = 0x4500+0x0020+0x4000+0x4011+0x0a00+0x0064+0x0a00+0x0001 = 0xd996 (no carry) -> checksum ~ = 0x2669
        byte[] packet = IpPackets.udp(address(new byte[] {10, 0, 0, 100}), 0x9c40, address(new byte[] {10, 0, 0, 1}),
                0x1e61, "abcd".getBytes(StandardCharsets.US_ASCII));
        assertEquals("45000020000040004011" + "2669" + "0a0000640a000001" + "9c401e61000c",
                java.util.HexFormat.of().formatHex(packet, 0, 26));
        assertEquals("61626364", java.util.HexFormat.of().formatHex(packet, 28, 32));
    }

    @Test
    void zeroUdpChecksumMeansNoneOverIpv4Only() {
        byte[] v4 = IpPackets.udp(address(new byte[] {10, 0, 0, 1}), 1, address(new byte[] {10, 0, 0, 2}), 2,
                "x".getBytes(StandardCharsets.UTF_8));
        v4[26] = 0;
        v4[27] = 0;
        assertTrue(IpPackets.checksumsValid(v4));
        byte[] six = new byte[16];
        six[0] = (byte) 0xfd;
        byte[] v6 = IpPackets.udp(address(six), 1, address(six), 2, "x".getBytes(StandardCharsets.UTF_8));
        v6[46] = 0;
        v6[47] = 0;
        assertFalse(IpPackets.checksumsValid(v6));
    }

    @Property(tries = 500)
    void arbitraryBytesNeverThrow(@ForAll @Size(max = 80) byte[] bytes, @ForAll boolean v6) {
        if (bytes.length > 0) {
            bytes[0] = (byte) ((v6 ? 0x60 : 0x40) | (bytes[0] & 0x0F));
        }
        IpPackets.parseUdp(bytes);
        IpPackets.parseEcho(bytes);
        IpPackets.checksumsValid(bytes);
        assertEquals(IpPackets.version(bytes) != 0, IpPackets.source(bytes).isPresent());
    }

    @Test
    void anIpv6PacketWithAnIpv4MappedAddressStaysIpv6() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 10;
        mapped[15] = 1;
        byte[] other = new byte[16];
        other[0] = (byte) 0xfd;
        InetAddress source = java.net.Inet6Address.getByAddress(null, mapped, -1);
        byte[] packet = IpPackets.udp(source, 1, address(other), 2, new byte[] {7});
        assertEquals(6, IpPackets.version(packet));
        IpPackets.Udp parsed = IpPackets.parseUdp(packet).orElseThrow();
        assertArrayEquals(mapped, parsed.source().getAddress());
        assertArrayEquals(packet, parsed.toBytes());
    }

    @Test
    void truncatedAndFragmentedPacketsAreNotParsed() {
        InetAddress a = address(new byte[] {10, 0, 0, 1});
        byte[] packet = IpPackets.udp(a, 1, a, 2, new byte[10]);
        assertEquals(Optional.empty(), IpPackets.parseUdp(Arrays.copyOf(packet, packet.length - 1)));
        byte[] fragment = packet.clone();
        fragment[6] = 0x20; // more fragments
        assertEquals(Optional.empty(), IpPackets.parseUdp(fragment));
        assertEquals(Optional.empty(), IpPackets.source(new byte[19]));
    }

    @Test
    void badValuesAreNamed() {
        InetAddress v4 = address(new byte[] {10, 0, 0, 1});
        byte[] six = new byte[16];
        six[0] = (byte) 0xfd;
        InetAddress v6 = address(six);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IpPackets.udp(v4, 70000, v4, 1, new byte[0]))
                .getMessage().contains("sourcePort 70000"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IpPackets.udp(v4, 1, v6, 1, new byte[0]))
                .getMessage().contains("must both be IPv4 or both IPv6"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> IpPackets.udp(v4, 1, v4, 1, new byte[65535 - 28 + 1])).getMessage().contains("payload"));
    }

    /**
     * Checks a packet's checksums as a receiver may: the 16-bit words of a correctly checksummed range, with its
     * checksum field, add up to a multiple of 0xFFFF. The pseudo-header is laid out here from the RFCs (768, 2460).
     */
    private static boolean independentlyValid(byte[] packet, int protocol) {
        boolean v4 = (packet[0] >> 4) == 4;
        int header = v4 ? (packet[0] & 0x0F) * 4 : 40;
        byte[] transport = Arrays.copyOfRange(packet, header, packet.length);
        ByteArrayOutputStream covered = new ByteArrayOutputStream();
        if (v4 && !wordsSumToZero(Arrays.copyOf(packet, header))) {
            return false;
        }
        if (protocol != 1) {
            covered.write(packet, v4 ? 12 : 8, v4 ? 8 : 32);
            if (v4) {
                covered.writeBytes(new byte[] {0, (byte) protocol, (byte) (transport.length >> 8),
                        (byte) transport.length});
            } else {
                covered.writeBytes(new byte[] {0, 0, (byte) (transport.length >> 8), (byte) transport.length, 0, 0, 0,
                        (byte) protocol});
            }
        }
        covered.writeBytes(transport);
        return wordsSumToZero(covered.toByteArray());
    }

    private static boolean wordsSumToZero(byte[] bytes) {
        long sum = 0;
        for (int i = 0; i < bytes.length; i++) {
            sum += (long) (bytes[i] & 0xFF) << (i % 2 == 0 ? 8 : 0);
        }
        return sum % 0xFFFF == 0;
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] hex(String text) {
        return java.util.HexFormat.of().parseHex(text);
    }
}
