package io.vpncloud.core.route;

import static io.vpncloud.core.route.FlowHash.TCP;
import static io.vpncloud.core.route.FlowHash.UDP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which parts of a packet make its flow, for IPv4 and IPv6. */
class FlowHashTest {

    @Test
    void packetsOfOneTcpConnectionHashAlikeWhateverTheirPayload() {
        long first = FlowHash.of(FlowPackets.ipv4("10.0.0.100", "10.0.0.1", TCP, 40001, 80, 0));
        long later = FlowHash.of(FlowPackets.ipv4("10.0.0.100", "10.0.0.1", TCP, 40001, 80, 1200));
        assertEquals(first, later);
    }

    @Test
    void everyPartOfTheFiveTupleCounts() {
        long flow = FlowHash.of(FlowPackets.ipv4("10.0.0.100", "10.0.0.1", TCP, 40001, 80, 0));
        assertNotEquals(flow, FlowHash.of(FlowPackets.ipv4("10.0.0.101", "10.0.0.1", TCP, 40001, 80, 0)));
        assertNotEquals(flow, FlowHash.of(FlowPackets.ipv4("10.0.0.100", "10.0.0.2", TCP, 40001, 80, 0)));
        assertNotEquals(flow, FlowHash.of(FlowPackets.ipv4("10.0.0.100", "10.0.0.1", UDP, 40001, 80, 0)));
        assertNotEquals(flow, FlowHash.of(FlowPackets.ipv4("10.0.0.100", "10.0.0.1", TCP, 40002, 80, 0)));
        assertNotEquals(flow, FlowHash.of(FlowPackets.ipv4("10.0.0.100", "10.0.0.1", TCP, 40001, 81, 0)));
    }

    @Test
    void sourcePortsOfOneClientGiveDistinctHashes() {
        Set<Long> hashes = new HashSet<>();
        for (int port = 32768; port < 32768 + 10_000; port++) {
            hashes.add(FlowHash.of(FlowPackets.ipv4("10.0.0.100", "10.0.0.1", TCP, port, 443, 0)));
        }
        assertEquals(10_000, hashes.size());
    }

    @Test
    void packetsWithoutPortsHashTheirAddressPairOnly() {
        // The bytes where ports would be (an ICMP type, code and checksum) must not split a ping "flow".
        long echo = FlowHash.of(FlowPackets.ipv4("10.0.0.100", "10.0.0.1", FlowPackets.ICMP, 0x0800, 0x1234, 0));
        long reply = FlowHash.of(FlowPackets.ipv4("10.0.0.100", "10.0.0.1", FlowPackets.ICMP, 0x0000, 0x4321, 0));
        assertEquals(echo, reply);
        assertNotEquals(echo, FlowHash.of(FlowPackets.ipv4("10.0.0.100", "10.0.0.2", FlowPackets.ICMP, 0, 0, 0)));
    }

    @Test
    void everyFragmentOfADatagramHashesLikeTheAddressPair() {
        long pair = FlowHash.of(FlowPackets.ipv4("10.0.0.100", "10.0.0.1", FlowPackets.ICMP, 0, 0, 0));
        long firstFragment = FlowHash.of(FlowPackets.ipv4("10.0.0.100", "10.0.0.1", UDP, 5000, 53, 100, 0x2000));
        long lastFragment = FlowHash.of(FlowPackets.ipv4("10.0.0.100", "10.0.0.1", UDP, 0x1234, 0x5678, 100, 185));
        assertEquals(pair, firstFragment);
        assertEquals(pair, lastFragment);
        long unfragmented = FlowHash.of(FlowPackets.ipv4("10.0.0.100", "10.0.0.1", UDP, 5000, 53, 100, 0x4000));
        assertNotEquals(pair, unfragmented, "don't-fragment alone is no fragment: the ports count");
    }

    @Test
    void ipv6FlowsUseTheirPortsAndFullAddresses() {
        long flow = FlowHash.of(FlowPackets.ipv6("fd00::100", "fd00::1", TCP, 40001, 80));
        assertEquals(flow, FlowHash.of(FlowPackets.ipv6("fd00::100", "fd00::1", TCP, 40001, 80)));
        assertNotEquals(flow, FlowHash.of(FlowPackets.ipv6("fd00::100", "fd00::1", TCP, 40002, 80)));
        assertNotEquals(flow, FlowHash.of(FlowPackets.ipv6("fd00::1:100", "fd00::1", TCP, 40001, 80)));
        assertNotEquals(flow, FlowHash.of(FlowPackets.ipv6("fd00::100", "fd01::1", TCP, 40001, 80)));
        long ping = FlowHash.of(FlowPackets.ipv6("fd00::100", "fd00::1", FlowPackets.ICMPV6, 128, 1));
        assertEquals(ping, FlowHash.of(FlowPackets.ipv6("fd00::100", "fd00::1", FlowPackets.ICMPV6, 129, 2)));
    }

    @Test
    void theHashReadsThePacketAtItsPositionInAnyByteOrderWithoutChangingTheBuffer() {
        ByteBuffer packet = FlowPackets.ipv4("10.0.0.100", "10.0.0.1", TCP, 40001, 80, 10);
        long expected = FlowHash.of(packet);
        ByteBuffer shifted = ByteBuffer.allocate(packet.capacity() + 1);
        shifted.put(1, packet, 0, packet.capacity());
        shifted.position(1).order(ByteOrder.LITTLE_ENDIAN);

        assertEquals(expected, FlowHash.of(shifted));
        assertEquals(1, shifted.position());
        assertEquals(shifted.capacity(), shifted.limit());
    }

    @Test
    void truncatedAndForeignPacketsHashWithoutFailing() {
        ByteBuffer headerOnly = FlowPackets.ipv4("10.0.0.100", "10.0.0.1", TCP, 40001, 80, 0).limit(20);
        assertEquals(FlowHash.of(FlowPackets.ipv4("10.0.0.100", "10.0.0.1", FlowPackets.ICMP, 0, 0, 0)),
                FlowHash.of(headerOnly), "no room for ports: the address pair");
        FlowHash.of(ByteBuffer.allocate(0));
        FlowHash.of(ByteBuffer.wrap(new byte[] {0x45, 0, 0}));
        FlowHash.of(ByteBuffer.wrap(new byte[] {0x4F, 0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
        FlowHash.of(ByteBuffer.wrap(new byte[30]));
    }
}
