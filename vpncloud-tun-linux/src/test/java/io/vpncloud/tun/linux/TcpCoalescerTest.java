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
import java.util.Random;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.BeforeTry;

class TcpCoalescerTest {

    private static final byte[] V4_SOURCE = {10, 1, 2, 3};
    private static final byte[] V4_DESTINATION = {10, 1, 2, 4};

    /** A second packet that must not join a run started by the first (a full-size ACK segment). */
    enum Breaker {
        SYN(tcp -> next(tcp, TcpPackets.SYN | TcpPackets.ACK, 100)),
        PURE_ACK(tcp -> next(tcp, TcpPackets.ACK, 0)),
        OTHER_PORT(tcp -> new TcpPackets.Tcp(4, V4_SOURCE, V4_DESTINATION, 0, 64, 1, tcp.sourcePort(), 81,
                tcp.sequence() + 100, tcp.acknowledgement(), TcpPackets.ACK, tcp.window(), tcp.options(), new byte[100])),
        SEQUENCE_GAP(tcp -> next(tcp, TcpPackets.ACK, 100).with(tcp.sequence() + 101, TcpPackets.ACK, new byte[100])),
        OTHER_OPTIONS(tcp -> new TcpPackets.Tcp(4, V4_SOURCE, V4_DESTINATION, 0, 64, 1, tcp.sourcePort(),
                tcp.destinationPort(), tcp.sequence() + 100, tcp.acknowledgement(), TcpPackets.ACK, tcp.window(),
                new byte[] {1, 1, 1, 2}, new byte[100])),
        OTHER_ACK(tcp -> new TcpPackets.Tcp(4, V4_SOURCE, V4_DESTINATION, 0, 64, 1, tcp.sourcePort(),
                tcp.destinationPort(), tcp.sequence() + 100, tcp.acknowledgement() + 1, TcpPackets.ACK, tcp.window(),
                tcp.options(), new byte[100])),
        OTHER_TTL(tcp -> new TcpPackets.Tcp(4, V4_SOURCE, V4_DESTINATION, 0, 63, 1, tcp.sourcePort(),
                tcp.destinationPort(), tcp.sequence() + 100, tcp.acknowledgement(), TcpPackets.ACK, tcp.window(),
                tcp.options(), new byte[100])),
        LONGER_THAN_THE_FIRST(tcp -> next(tcp, TcpPackets.ACK, 101));

        private final UnaryOperator<TcpPackets.Tcp> after;

        Breaker(UnaryOperator<TcpPackets.Tcp> after) {
            this.after = after;
        }

        private static TcpPackets.Tcp next(TcpPackets.Tcp tcp, int flags, int payload) {
            return tcp.with(tcp.sequence() + tcp.payload().length, flags, new byte[payload]);
        }
    }

    private final List<byte[]> written = new ArrayList<>();
    private OffloadCounters counters;
    private TcpCoalescer coalescer;

    @BeforeTry
    void newCoalescer() {
        written.clear();
        counters = new OffloadCounters();
        coalescer = new TcpCoalescer((frame, length) -> {
            byte[] bytes = new byte[length];
            frame.buffer.get(0, bytes);
            written.add(bytes);
        }, counters);
    }

    @Property(tries = 200)
    void segmentsOfAStreamBecomeOneLabelledPacket(@ForAll("streams") List<TcpPackets.Tcp> stream,
            @ForAll boolean heapBuffers) throws IOException {
        for (TcpPackets.Tcp segment : stream) {
            write(TcpPackets.build(segment), heapBuffers);
        }
        assertEquals(List.of(), written, "nothing written before the flush");

        coalescer.flush();

        assertEquals(1, written.size());
        VnetFrames.Frame frame = VnetFrames.parse(written.get(0));
        TcpPackets.Tcp first = stream.get(0);
        TcpPackets.Tcp last = stream.get(stream.size() - 1);
        assertEquals(new VnetFrames.Header(1, first.version() == 4 ? 1 : 4, first.headerLength(),
                first.payload().length, first.ipHeaderLength(), 16), frame.header());
        TcpPackets.Tcp merged = TcpPackets.parse(VnetFrames.completeChecksum(frame));
        assertEquals(first.sequence(), merged.sequence());
        assertEquals(TcpPackets.ACK | (last.flags() & TcpPackets.PSH), merged.flags());
        assertArrayEquals(first.options(), merged.options());
        assertArrayEquals(concatenatedPayloads(stream), merged.payload());
        assertEquals(1, counters.mergedWrites());
        assertEquals(stream.size(), counters.mergedSegments());
    }

    @Example
    void singleSegmentIsWrittenAsItCameAtTheFlush() throws IOException {
        byte[] packet = TcpPackets.build(sampleTcp(100));

        write(packet, false);
        assertTrue(coalescer.holdsRun(), "a data segment is kept back for the next ones");
        coalescer.flush();

        assertFalse(coalescer.holdsRun(), "the flush wrote it");
        assertEquals(1, written.size());
        assertFrame(VnetFrames.Header.PLAIN, packet, written.get(0));
        assertEquals(0, counters.mergedWrites());
    }

    @Property(tries = 20)
    void packetThatCannotJoinIsWrittenAfterTheRunAsItCame(@ForAll Breaker breaker) throws IOException {
        TcpPackets.Tcp first = sampleTcp(100);
        byte[] firstPacket = TcpPackets.build(first);
        byte[] secondPacket = TcpPackets.build(breaker.after.apply(first));

        write(firstPacket, false);
        write(secondPacket, true);
        coalescer.flush();

        assertEquals(2, written.size());
        assertFrame(VnetFrames.Header.PLAIN, firstPacket, written.get(0));
        assertFrame(VnetFrames.Header.PLAIN, secondPacket, written.get(1));
    }

    @Example
    void nothingJoinsASegmentWithPushOrAShorterSegment() throws IOException {
        TcpPackets.Tcp first = sampleTcp(100);
        TcpPackets.Tcp pushed = first.with(first.sequence() + 100, TcpPackets.ACK | TcpPackets.PSH, new byte[100]);
        TcpPackets.Tcp afterPush = first.with(first.sequence() + 200, TcpPackets.ACK, new byte[100]);
        TcpPackets.Tcp shorter = first.with(first.sequence() + 300, TcpPackets.ACK, new byte[50]);
        TcpPackets.Tcp afterShorter = first.with(first.sequence() + 350, TcpPackets.ACK, new byte[50]);

        for (TcpPackets.Tcp tcp : List.of(first, pushed, afterPush, shorter, afterShorter)) {
            write(TcpPackets.build(tcp), false);
        }
        coalescer.flush();

        assertEquals(List.of(200, 150, 50), written.stream()
                .map(bytes -> TcpPackets.parse(VnetFrames.completeChecksum(VnetFrames.parse(bytes))).payload().length)
                .toList());
    }

    @Example
    void runsEndAt64SegmentsAnd65535Bytes() throws IOException {
        writeStream(sampleTcp(100), 65);
        coalescer.flush();
        writeStream(sampleTcp(1400), 47);
        coalescer.flush();

        assertEquals(List.of(44 + 64 * 100, 144, 44 + 46 * 1400, 1444), written.stream()
                .map(bytes -> bytes.length - VnetFrames.HEADER).toList());
    }

    @Example
    void otherPacketsAreWrittenAtOnceAfterTheRun() throws IOException {
        byte[] tcp = TcpPackets.build(sampleTcp(100));
        byte[] udp = UdpPackets.build(V4_SOURCE, 1, V4_DESTINATION, 2, new byte[10]);

        write(tcp, false);
        write(udp, false);

        assertFalse(coalescer.holdsRun(), "nothing is kept back after a packet that cannot be merged");
        assertEquals(2, written.size());
        assertFrame(VnetFrames.Header.PLAIN, tcp, written.get(0));
        assertFrame(VnetFrames.Header.PLAIN, udp, written.get(1));
    }

    @Property(tries = 100)
    void segmentedSuperPacketIsMergedBack(@ForAll("streams") List<TcpPackets.Tcp> shape,
            @ForAll @IntRange(min = 1, max = 60000) int payloadLength) throws IOException {
        TcpPackets.Tcp first = shape.get(0);
        int gsoSize = first.payload().length;
        byte[] payload = new byte[Math.min(payloadLength, 65535 - first.headerLength())];
        new Random(payloadLength).nextBytes(payload);
        TcpPackets.Tcp original = first.with(first.sequence(), TcpPackets.ACK | TcpPackets.PSH, payload);
        byte[] superPacket = TcpPackets.build(original);
        TcpSegmenter segmenter = new TcpSegmenter(new OffloadCounters());
        segmenter.load(VnetFrames.toBuffer(new VnetFrames.Header(1, first.version() == 4 ? 1 : 4,
                first.headerLength(), gsoSize, first.ipHeaderLength(), 16), superPacket),
                VnetFrames.HEADER + superPacket.length);
        ByteBuffer segment = ByteBuffer.allocateDirect(VnetFrames.MTU);
        while (segmenter.hasNext()) {
            segmenter.next(segment.clear());
            coalescer.write(segment.flip());
        }
        coalescer.flush();

        int segments = (payload.length + gsoSize - 1) / gsoSize;
        assertEquals((segments + 63) / 64, written.size());
        ByteArrayOutputStream merged = new ByteArrayOutputStream();
        for (byte[] bytes : written) {
            TcpPackets.Tcp run = TcpPackets.parse(VnetFrames.completeChecksum(VnetFrames.parse(bytes)));
            assertEquals((original.sequence() + merged.size()) & 0xFFFF_FFFFL, run.sequence());
            merged.writeBytes(run.payload());
        }
        assertArrayEquals(payload, merged.toByteArray());
    }

    /** 2 to 64 consecutive full segments of one connection, the last maybe shorter or with PSH. */
    @Provide
    Arbitrary<List<TcpPackets.Tcp>> streams() {
        return VnetFrames.segments(TcpPackets.ACK).flatMap(first -> {
            int size = first.payload().length;
            int maxCount = Math.min(64, (65535 - first.headerLength()) / size);
            return Combinators.combine(Arbitraries.integers().between(Math.min(2, maxCount), maxCount),
                    Arbitraries.integers().between(1, size), Arbitraries.of(0, TcpPackets.PSH)).as(
                    (count, lastSize, push) -> stream(first, count, lastSize, push));
        }).filter(stream -> stream.size() >= 2);
    }

    private static List<TcpPackets.Tcp> stream(TcpPackets.Tcp first, int count, int lastSize, int push) {
        List<TcpPackets.Tcp> stream = new ArrayList<>();
        int size = first.payload().length;
        for (int i = 0; i < count; i++) {
            boolean last = i == count - 1;
            byte[] payload = new byte[last ? lastSize : size];
            Arrays.fill(payload, (byte) i);
            stream.add(first.with((first.sequence() + (long) i * size) & 0xFFFF_FFFFL,
                    TcpPackets.ACK | (last ? push : 0), payload));
        }
        return stream;
    }

    private void writeStream(TcpPackets.Tcp first, int count) throws IOException {
        for (TcpPackets.Tcp tcp : stream(first, count, first.payload().length, 0)) {
            write(TcpPackets.build(tcp), false);
        }
    }

    private void write(byte[] packet, boolean heap) throws IOException {
        ByteBuffer src = heap ? ByteBuffer.wrap(packet) : ByteBuffer.allocateDirect(packet.length).put(packet).flip();
        coalescer.write(src);
        assertTrue(!src.hasRemaining());
    }

    private static void assertFrame(VnetFrames.Header header, byte[] packet, byte[] frame) {
        VnetFrames.Frame parsed = VnetFrames.parse(frame);
        assertEquals(header, parsed.header());
        assertArrayEquals(packet, parsed.packet());
    }

    private static byte[] concatenatedPayloads(List<TcpPackets.Tcp> stream) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        stream.forEach(tcp -> out.writeBytes(tcp.payload()));
        return out.toByteArray();
    }

    private static TcpPackets.Tcp sampleTcp(int payload) {
        return new TcpPackets.Tcp(4, V4_SOURCE, V4_DESTINATION, 0, 64, 1, 1000, 80, 0xFFFF_FF00L, 2,
                TcpPackets.ACK, 500, new byte[] {1, 1, 8, 10}, new byte[payload]);
    }
}
