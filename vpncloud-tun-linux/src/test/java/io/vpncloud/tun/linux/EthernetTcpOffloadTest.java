package io.vpncloud.tun.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.BeforeTry;

/**
 * The TCP offloads of a TAP descriptor: the same segmenting and merging as on a TUN descriptor, with an Ethernet
 * header (14 bytes, 18 with an 802.1Q tag) in front of each IP packet and the virtio-net header's offsets counted
 * from the frame's start.
 */
class EthernetTcpOffloadTest {

    private static final byte[] DESTINATION_MAC = EthernetFrames.mac("02:00:5e:00:00:01");
    private static final byte[] SOURCE_MAC = EthernetFrames.mac("02:00:5e:00:00:02");
    private static final int MTU = VnetFrames.MTU;

    /** A TCP super-packet as the kernel hands it over, in an Ethernet frame with or without a VLAN tag. */
    record SuperPacket(TcpPackets.Tcp tcp, int gsoSize, int vlan) {

        int link() {
            return vlan == 0 ? 14 : 18;
        }
    }

    private final List<byte[]> written = new ArrayList<>();
    private OffloadCounters counters;
    private TcpSegmenter segmenter;
    private TcpCoalescer coalescer;

    @BeforeTry
    void newOffloads() {
        written.clear();
        counters = new OffloadCounters();
        segmenter = new TcpSegmenter(counters, true);
        coalescer = new TcpCoalescer((frame, length) -> {
            byte[] bytes = new byte[length];
            frame.buffer.get(0, bytes);
            written.add(bytes);
        }, counters, true);
    }

    @Property(tries = 150)
    void superPacketBecomesFramesWithItsEthernetHeaderAndValidSegments(
            @ForAll("superPackets") SuperPacket superPacket) {
        TcpPackets.Tcp original = superPacket.tcp();
        byte[] frame = frame(TcpPackets.build(original), superPacket.vlan());
        int link = superPacket.link();
        frame[link + original.ipHeaderLength() + 16] ^= 0x5A; // only a partial sum from the kernel here
        load(new VnetFrames.Header(1, original.version() == 4 ? 1 : 4, link + original.headerLength(),
                superPacket.gsoSize(), link + original.ipHeaderLength(), 16), frame);

        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        ByteBuffer dst = ByteBuffer.allocateDirect(MTU + 18);
        int count = 0;
        while (segmenter.hasNext()) {
            int length = segmenter.next(dst.clear());
            assertTrue(length <= MTU + link, length + " bytes");
            byte[] segment = new byte[length];
            dst.get(0, segment);
            assertArrayEquals(Arrays.copyOf(frame, link), Arrays.copyOf(segment, link), "Ethernet header");
            TcpPackets.Tcp tcp = TcpPackets.parse(Arrays.copyOfRange(segment, link, length));
            assertEquals((original.sequence() + payload.size()) & 0xFFFF_FFFFL, tcp.sequence());
            assertEquals(original.version() == 4 ? (original.ipId() + count) & 0xFFFF : 0, tcp.ipId());
            payload.writeBytes(tcp.payload());
            count++;
        }
        assertArrayEquals(original.payload(), payload.toByteArray());
        assertEquals((original.payload().length + superPacket.gsoSize() - 1) / superPacket.gsoSize(), count);
        assertEquals(count, counters.superPacketSegments());
        assertEquals(0, counters.droppedReads());
    }

    @Example
    void superPacketWhoseEtherTypeIsNotItsIpVersionIsDropped() {
        TcpPackets.Tcp tcp = sampleTcp(5000);
        byte[] frame = frame(TcpPackets.build(tcp), 0);
        frame[12] = (byte) 0x86; // IPv6's EtherType on an IPv4 packet
        frame[13] = (byte) 0xDD;

        load(new VnetFrames.Header(1, 1, 14 + tcp.headerLength(), 1000, 14 + 20, 16), frame);

        assertFalse(segmenter.hasNext());
        assertEquals(1, counters.droppedReads());
    }

    @Example
    void superPacketInAnArpFrameIsDropped() {
        TcpPackets.Tcp tcp = sampleTcp(5000);
        byte[] frame = frame(TcpPackets.build(tcp), 0);
        frame[12] = 0x08;
        frame[13] = 0x06;

        load(new VnetFrames.Header(1, 1, 14 + tcp.headerLength(), 1000, 14 + 20, 16), frame);

        assertFalse(segmenter.hasNext());
        assertEquals(1, counters.droppedReads());
    }

    @Property(tries = 50)
    void pendingChecksumOfAUdpPacketInAFrameIsFinished(@ForAll @Size(max = 1400) byte[] payload,
            @ForAll boolean tagged) {
        byte[] packet = UdpPackets.build(new byte[] {10, 1, 2, 3}, 5000, new byte[] {10, 1, 2, 4}, 6000, payload);
        int seed = ReferenceChecksum.pseudoHeaderSum(packet, 17, packet.length - 20);
        packet[26] = (byte) (seed >> 8);
        packet[27] = (byte) seed;
        int link = tagged ? 18 : 14;
        byte[] frame = frame(packet, tagged ? 7 : 0);

        load(new VnetFrames.Header(1, 0, 0, 0, link + 20, 6), frame);
        ByteBuffer dst = ByteBuffer.allocate(MTU + 18);
        int length = segmenter.next(dst);

        assertFalse(segmenter.hasNext());
        assertArrayEquals(Arrays.copyOf(frame, link), Arrays.copyOf(dst.array(), link));
        assertArrayEquals(payload, UdpPackets.parse(Arrays.copyOfRange(dst.array(), link, length)).payload());
    }

    @Property(tries = 150)
    void segmentsInFramesBecomeOneLabelledFrame(@ForAll("streams") List<TcpPackets.Tcp> stream) throws IOException {
        for (TcpPackets.Tcp segment : stream) {
            coalescer.write(ByteBuffer.wrap(frame(TcpPackets.build(segment), 0)));
        }
        coalescer.flush();

        assertEquals(1, written.size());
        VnetFrames.Frame frame = VnetFrames.parse(written.get(0));
        TcpPackets.Tcp first = stream.get(0);
        assertEquals(new VnetFrames.Header(1, first.version() == 4 ? 1 : 4, 14 + first.headerLength(),
                first.payload().length, 14 + first.ipHeaderLength(), 16), frame.header());
        byte[] completed = VnetFrames.completeChecksum(frame);
        assertArrayEquals(ethernetHeader(first.version() == 4 ? 0x0800 : 0x86DD), Arrays.copyOf(completed, 14));
        TcpPackets.Tcp merged = TcpPackets.parse(Arrays.copyOfRange(completed, 14, completed.length));
        assertEquals(first.sequence(), merged.sequence());
        ByteArrayOutputStream payloads = new ByteArrayOutputStream();
        stream.forEach(tcp -> payloads.writeBytes(tcp.payload()));
        assertArrayEquals(payloads.toByteArray(), merged.payload());
        assertEquals(stream.size(), counters.mergedSegments());
    }

    @Example
    void taggedFramesAreWrittenAsTheyCame() throws IOException {
        TcpPackets.Tcp first = sampleTcp(100);
        byte[] one = frame(TcpPackets.build(first), 5);
        byte[] two = frame(TcpPackets.build(first.with(first.sequence() + 100, TcpPackets.ACK, new byte[100])), 5);

        coalescer.write(ByteBuffer.wrap(one));
        coalescer.write(ByteBuffer.wrap(two));
        coalescer.flush();

        assertEquals(2, written.size());
        assertPlainFrame(one, written.get(0));
        assertPlainFrame(two, written.get(1));
        assertEquals(0, counters.mergedWrites());
    }

    @Example
    void segmentsBetweenOtherMacAddressesDoNotJoinTheRun() throws IOException {
        TcpPackets.Tcp first = sampleTcp(100);
        byte[] one = frame(TcpPackets.build(first), 0);
        byte[] two = frame(TcpPackets.build(first.with(first.sequence() + 100, TcpPackets.ACK, new byte[100])), 0);
        two[5] ^= 1;

        coalescer.write(ByteBuffer.wrap(one));
        coalescer.write(ByteBuffer.wrap(two));
        coalescer.flush();

        assertEquals(2, written.size());
        assertPlainFrame(one, written.get(0));
        assertPlainFrame(two, written.get(1));
    }

    @Example
    void arpAndShortFramesAreWrittenAsTheyCame() throws IOException {
        byte[] arp = EthernetFrames.arpRequest(SOURCE_MAC, new byte[] {10, 1, 2, 3}, new byte[] {10, 1, 2, 4});
        byte[] runt = {1, 2, 3};

        coalescer.write(ByteBuffer.wrap(arp));
        coalescer.write(ByteBuffer.wrap(runt));

        assertEquals(2, written.size());
        assertPlainFrame(arp, written.get(0));
        assertPlainFrame(runt, written.get(1));
    }

    @Property(tries = 60)
    void segmentedSuperPacketIsMergedBack(@ForAll("superPackets") SuperPacket superPacket) throws IOException {
        // Untagged, and flags every segment can merge with (CWR or FIN would stand alone).
        SuperPacket untagged = new SuperPacket(superPacket.tcp(), superPacket.gsoSize(), 0);
        TcpPackets.Tcp original = untagged.tcp().with(untagged.tcp().sequence(), TcpPackets.ACK | TcpPackets.PSH,
                untagged.tcp().payload());
        byte[] frame = frame(TcpPackets.build(original), 0);
        load(new VnetFrames.Header(1, original.version() == 4 ? 1 : 4, 14 + original.headerLength(),
                untagged.gsoSize(), 14 + original.ipHeaderLength(), 16), frame);
        ByteBuffer segment = ByteBuffer.allocateDirect(MTU + 18);
        while (segmenter.hasNext()) {
            segmenter.next(segment.clear());
            coalescer.write(segment.flip());
        }
        coalescer.flush();

        ByteArrayOutputStream merged = new ByteArrayOutputStream();
        for (byte[] bytes : written) {
            byte[] completed = VnetFrames.completeChecksum(VnetFrames.parse(bytes));
            assertArrayEquals(Arrays.copyOf(frame, 14), Arrays.copyOf(completed, 14));
            TcpPackets.Tcp run = TcpPackets.parse(Arrays.copyOfRange(completed, 14, completed.length));
            assertEquals((original.sequence() + merged.size()) & 0xFFFF_FFFFL, run.sequence());
            merged.writeBytes(run.payload());
        }
        assertArrayEquals(original.payload(), merged.toByteArray());
        int segments = (original.payload().length + untagged.gsoSize() - 1) / untagged.gsoSize();
        assertEquals((segments + 63) / 64, written.size());
    }

    @Provide
    Arbitrary<SuperPacket> superPackets() {
        Arbitrary<Integer> flags = Arbitraries.of(0, TcpPackets.PSH, TcpPackets.FIN | TcpPackets.CWR)
                .map(f -> f | TcpPackets.ACK);
        return flags.flatMap(VnetFrames::segments).flatMap(tcp -> {
            Arbitrary<byte[]> payload = Arbitraries.bytes().array(byte[].class).ofMinSize(1)
                    .ofMaxSize(65535 - tcp.headerLength());
            Arbitrary<Integer> gsoSize = Arbitraries.integers().between(8, MTU - tcp.headerLength());
            Arbitrary<Integer> vlan = Arbitraries.of(0, 1, 4094);
            return Combinators.combine(payload, gsoSize, vlan).as(
                    (bytes, size, tag) -> new SuperPacket(tcp.with(tcp.sequence(), tcp.flags(), bytes), size, tag));
        });
    }

    /** 2 to 64 consecutive full segments of one connection, the last maybe shorter. */
    @Provide
    Arbitrary<List<TcpPackets.Tcp>> streams() {
        return VnetFrames.segments(TcpPackets.ACK).flatMap(first -> {
            int size = first.payload().length;
            int maxCount = Math.min(64, (65535 - first.headerLength()) / size);
            return Combinators.combine(Arbitraries.integers().between(Math.min(2, maxCount), maxCount),
                    Arbitraries.integers().between(1, size)).as((count, lastSize) -> {
                        List<TcpPackets.Tcp> stream = new ArrayList<>();
                        for (int i = 0; i < count; i++) {
                            byte[] payload = new byte[i == count - 1 ? lastSize : size];
                            Arrays.fill(payload, (byte) i);
                            stream.add(first.with((first.sequence() + (long) i * size) & 0xFFFF_FFFFL,
                                    TcpPackets.ACK, payload));
                        }
                        return stream;
                    });
        }).filter(stream -> stream.size() >= 2);
    }

    private void load(VnetFrames.Header header, byte[] frame) {
        segmenter.load(VnetFrames.toBuffer(header, frame), VnetFrames.HEADER + frame.length);
    }

    /** The IP packet in an Ethernet frame, tagged with {@code vlan} unless it is 0. */
    private static byte[] frame(byte[] packet, int vlan) {
        int etherType = (packet[0] >> 4 & 0x0F) == 4 ? 0x0800 : 0x86DD;
        byte[] untagged = ByteBuffer.allocate(14 + packet.length).put(ethernetHeader(etherType)).put(packet).array();
        return vlan == 0 ? untagged : EthernetFrames.tagged(untagged, vlan);
    }

    private static byte[] ethernetHeader(int etherType) {
        return ByteBuffer.allocate(14).put(DESTINATION_MAC).put(SOURCE_MAC).putShort((short) etherType).array();
    }

    private static void assertPlainFrame(byte[] frame, byte[] written) {
        VnetFrames.Frame parsed = VnetFrames.parse(written);
        assertEquals(VnetFrames.Header.PLAIN, parsed.header());
        assertArrayEquals(frame, parsed.packet());
    }

    private static TcpPackets.Tcp sampleTcp(int payload) {
        return new TcpPackets.Tcp(4, new byte[] {10, 1, 2, 3}, new byte[] {10, 1, 2, 4}, 0, 64, 1, 1000, 80, 5, 2,
                TcpPackets.ACK, 500, new byte[0], new byte[payload]);
    }
}
