package io.vpncloud.tun.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.BeforeTry;

class TcpSegmenterTest {

    private static final byte[] V4_SOURCE = {10, 1, 2, 3};
    private static final byte[] V4_DESTINATION = {10, 1, 2, 4};

    /** Where the device puts segments: the caller's buffer of any kind and order, at its position. */
    enum Destination {
        HEAP, HEAP_LITTLE_ENDIAN, DIRECT;

        ByteBuffer allocate() {
            ByteBuffer buffer = this == DIRECT ? ByteBuffer.allocateDirect(VnetFrames.MTU + 5)
                    : ByteBuffer.allocate(VnetFrames.MTU + 5);
            return this == HEAP_LITTLE_ENDIAN ? buffer.order(ByteOrder.LITTLE_ENDIAN) : buffer;
        }
    }

    /** A TCP super-packet as the kernel hands it over, and the segment size it asks for. */
    record SuperPacket(TcpPackets.Tcp tcp, int gsoSize, boolean ecn) {
    }

    private OffloadCounters counters;
    private TcpSegmenter segmenter;

    @BeforeTry
    void newSegmenter() {
        counters = new OffloadCounters();
        segmenter = new TcpSegmenter(counters);
    }

    @Property(tries = 150)
    void superPacketBecomesValidSegmentsThatAddUpToIt(@ForAll("superPackets") SuperPacket superPacket,
            @ForAll Destination destination) {
        TcpPackets.Tcp original = superPacket.tcp();

        List<byte[]> segments = segment(superPacket, destination.allocate());

        int payloadLength = original.payload().length;
        int count = (payloadLength + superPacket.gsoSize() - 1) / superPacket.gsoSize();
        assertEquals(count, segments.size());
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            assertTrue(segments.get(i).length <= VnetFrames.MTU);
            TcpPackets.Tcp segment = TcpPackets.parse(segments.get(i));
            long offset = (long) i * superPacket.gsoSize();
            int expectedFlags = original.flags() & (i == count - 1 ? 0xFF : ~(TcpPackets.FIN | TcpPackets.PSH))
                    & (i == 0 ? 0xFF : ~TcpPackets.CWR);
            TcpPackets.Tcp expected = original.with((original.sequence() + offset) & 0xFFFF_FFFFL, expectedFlags,
                    Arrays.copyOfRange(original.payload(), (int) offset,
                            (int) Math.min(payloadLength, offset + superPacket.gsoSize())));
            assertSameSegment(expected, segment, original.version() == 4 ? (original.ipId() + i) & 0xFFFF : 0);
            payload.writeBytes(segment.payload());
        }
        assertArrayEquals(original.payload(), payload.toByteArray());
        assertEquals(1, counters.superPackets());
        assertEquals(count, counters.superPacketSegments());
        assertEquals(0, counters.droppedReads());
    }

    @Property(tries = 100)
    void pendingChecksumOfAWholeTcpPacketIsFinished(@ForAll("segments") TcpPackets.Tcp tcp,
            @ForAll Destination destination) {
        byte[] packet = TcpPackets.build(tcp);
        int tcpStart = tcp.ipHeaderLength();
        int pseudo = ReferenceChecksum.pseudoHeaderSum(packet, 6, packet.length - tcpStart);
        packet[tcpStart + 16] = (byte) (pseudo >> 8);
        packet[tcpStart + 17] = (byte) pseudo;

        byte[] read = readWhole(new VnetFrames.Header(1, 0, 0, 0, tcpStart, 16), packet, destination.allocate());

        assertEquals(tcp, withoutArrays(TcpPackets.parse(read), tcp));
    }

    @Property(tries = 100)
    void pendingChecksumOfAUdpPacketIsFinished(@ForAll @Size(max = 1400) byte[] payload,
            @ForAll Destination destination) {
        byte[] packet = UdpPackets.build(V4_SOURCE, 5000, V4_DESTINATION, 6000, payload);
        int seed = ReferenceChecksum.pseudoHeaderSum(packet, 17, packet.length - 20);
        packet[26] = (byte) (seed >> 8);
        packet[27] = (byte) seed;

        byte[] read = readWhole(new VnetFrames.Header(1, 0, 0, 0, 20, 6), packet, destination.allocate());

        assertArrayEquals(payload, UdpPackets.parse(read).payload());
        assertFalse(read[26] == 0 && read[27] == 0, "0 would mean no checksum");
    }

    @Example
    void packetWithoutPendingChecksumIsPassedOnUnchanged() {
        byte[] packet = UdpPackets.build(V4_SOURCE, 1, V4_DESTINATION, 2, new byte[33]);
        packet[26] ^= 0x55; // a wrong checksum stays wrong: the device did not claim to finish it

        assertArrayEquals(packet, readWhole(VnetFrames.Header.PLAIN, packet, ByteBuffer.allocate(1500)));
    }

    @Example
    void unknownGsoTypeIsDroppedAndCounted() {
        byte[] packet = UdpPackets.build(V4_SOURCE, 1, V4_DESTINATION, 2, new byte[3000]);

        load(new VnetFrames.Header(1, 5, 28, 1400, 20, 6), packet);

        assertFalse(segmenter.hasNext());
        assertEquals(1, counters.droppedReads());
    }

    @Example
    void superPacketWhoseLengthsDoNotAddUpIsDropped() {
        byte[] packet = TcpPackets.build(sampleTcp(new byte[5000]));
        packet[3] ^= 1; // IPv4 total length one off

        load(new VnetFrames.Header(1, 1, 40, 1000, 20, 16), packet);

        assertFalse(segmenter.hasNext());
        assertEquals(1, counters.droppedReads());
    }

    @Example
    void segmentLargerThanTheCallersBufferIsDroppedWithTheRest() {
        byte[] packet = TcpPackets.build(sampleTcp(new byte[5000]));
        load(new VnetFrames.Header(1, 1, 40, 2000, 20, 16), packet);

        assertEquals(-1, segmenter.next(ByteBuffer.allocate(1500)));

        assertFalse(segmenter.hasNext());
        assertEquals(1, counters.droppedReads());
    }

    @Property(tries = 300)
    void arbitraryFramesNeverThrow(@ForAll @Size(min = 0, max = 2000) byte[] bytes,
            @ForAll @IntRange(max = 0x84) int gsoType, @ForAll @IntRange(max = 3) int flags,
            @ForAll @IntRange(max = 2000) int gsoSize, @ForAll @IntRange(max = 100) int csumStart,
            @ForAll @IntRange(max = 100) int csumOffset) {
        if (bytes.length > 0) {
            bytes[0] = (byte) ((bytes[0] & 0x0F) | (gsoType % 2 == 0 ? 0x60 : 0x40));
        }
        load(new VnetFrames.Header(flags, gsoType, 0, gsoSize, csumStart, csumOffset), bytes);
        ByteBuffer dst = ByteBuffer.allocate(1500);
        int reads = 0;
        while (segmenter.hasNext()) {
            int length = segmenter.next(dst.clear());
            assertTrue(length <= 1500);
            assertTrue(++reads <= 2000);
        }
    }

    @Provide
    Arbitrary<SuperPacket> superPackets() {
        Arbitrary<Integer> flags = Arbitraries.of(0, TcpPackets.PSH, TcpPackets.FIN, TcpPackets.CWR,
                TcpPackets.PSH | TcpPackets.FIN | TcpPackets.CWR | TcpPackets.ECE).map(f -> f | TcpPackets.ACK);
        return flags.flatMap(VnetFrames::segments).flatMap(tcp -> {
            int maxPayload = 65535 - tcp.headerLength();
            Arbitrary<byte[]> payload = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(maxPayload);
            Arbitrary<Integer> gsoSize = Arbitraries.integers().between(8, VnetFrames.MTU - tcp.headerLength());
            return Combinators.combine(payload, gsoSize, Arbitraries.of(true, false)).as(
                    (bytes, size, ecn) -> new SuperPacket(tcp.with(tcp.sequence(), tcp.flags(), bytes), size, ecn));
        });
    }

    @Provide
    Arbitrary<TcpPackets.Tcp> segments() {
        return Arbitraries.of(TcpPackets.ACK, TcpPackets.ACK | TcpPackets.PSH, TcpPackets.SYN)
                .flatMap(VnetFrames::segments);
    }

    private List<byte[]> segment(SuperPacket superPacket, ByteBuffer dst) {
        TcpPackets.Tcp tcp = superPacket.tcp();
        byte[] packet = TcpPackets.build(tcp);
        int tcpStart = tcp.ipHeaderLength();
        packet[tcpStart + 16] ^= 0x5A; // the kernel leaves only a partial sum here; the segmenter must not use it
        int gsoType = (tcp.version() == 4 ? 1 : 4) | (superPacket.ecn() ? 0x80 : 0);
        load(new VnetFrames.Header(1, gsoType, tcp.headerLength(), superPacket.gsoSize(), tcpStart, 16), packet);
        List<byte[]> segments = new ArrayList<>();
        while (segmenter.hasNext()) {
            segments.add(next(dst));
        }
        return segments;
    }

    private byte[] readWhole(VnetFrames.Header header, byte[] packet, ByteBuffer dst) {
        load(header, packet);
        assertTrue(segmenter.hasNext());
        byte[] read = next(dst);
        assertFalse(segmenter.hasNext());
        return read;
    }

    private void load(VnetFrames.Header header, byte[] packet) {
        segmenter.load(VnetFrames.toBuffer(header, packet), VnetFrames.HEADER + packet.length);
    }

    /** The next segment, read at position 3 of {@code dst}. */
    private byte[] next(ByteBuffer dst) {
        dst.clear().position(3);
        int length = segmenter.next(dst);
        assertEquals(3 + length, dst.position());
        byte[] segment = new byte[length];
        dst.get(3, segment);
        return segment;
    }

    private static void assertSameSegment(TcpPackets.Tcp expected, TcpPackets.Tcp actual, int ipId) {
        assertEquals(withoutArrays(expected, expected), withoutArrays(actual, expected));
        assertEquals(ipId, actual.ipId());
        assertArrayEquals(expected.source(), actual.source());
        assertArrayEquals(expected.destination(), actual.destination());
        assertArrayEquals(expected.options(), actual.options());
        assertArrayEquals(expected.payload(), actual.payload());
    }

    /** {@code tcp} with the array fields and IP ID of {@code reference}, so that equals compares the rest. */
    private static TcpPackets.Tcp withoutArrays(TcpPackets.Tcp tcp, TcpPackets.Tcp reference) {
        return new TcpPackets.Tcp(tcp.version(), reference.source(), reference.destination(), tcp.trafficClass(),
                tcp.ttl(), reference.ipId(), tcp.sourcePort(), tcp.destinationPort(), tcp.sequence(),
                tcp.acknowledgement(), tcp.flags(), tcp.window(), reference.options(), reference.payload());
    }

    private static TcpPackets.Tcp sampleTcp(byte[] payload) {
        return new TcpPackets.Tcp(4, V4_SOURCE, V4_DESTINATION, 0, 64, 7, 1000, 2000, 1, 2, TcpPackets.ACK, 500,
                new byte[0], payload);
    }
}
