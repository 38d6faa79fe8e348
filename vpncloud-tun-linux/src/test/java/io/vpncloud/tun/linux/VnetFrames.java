package io.vpncloud.tun.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Frames as an offload TUN descriptor carries them (a little-endian virtio-net header, then the packet), built
 * and completed the way the kernel does, and random TCP segments for the properties.
 */
final class VnetFrames {

    static final int HEADER = 10;
    static final int MTU = 1500;

    /** A virtio-net header's fields. */
    record Header(int flags, int gsoType, int headerLength, int gsoSize, int csumStart, int csumOffset) {

        static final Header PLAIN = new Header(0, 0, 0, 0, 0, 0);
    }

    /** A frame as the kernel puts it out or takes it. */
    record Frame(Header header, byte[] packet) {
    }

    private VnetFrames() {
    }

    /** A direct buffer holding the frame from index 0, with room to spare, and the frame's length. */
    static ByteBuffer toBuffer(Header header, byte[] packet) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(NativeFrame.CAPACITY).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put((byte) header.flags()).put((byte) header.gsoType()).putShort((short) header.headerLength())
                .putShort((short) header.gsoSize()).putShort((short) header.csumStart())
                .putShort((short) header.csumOffset()).put(packet);
        return buffer.order(ByteOrder.BIG_ENDIAN);
    }

    /** The frame in {@code bytes} (as written to the descriptor). */
    static Frame parse(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        Header header = new Header(buffer.get(0) & 0xFF, buffer.get(1) & 0xFF, buffer.getShort(2) & 0xFFFF,
                buffer.getShort(4) & 0xFFFF, buffer.getShort(6) & 0xFFFF, buffer.getShort(8) & 0xFFFF);
        return new Frame(header, Arrays.copyOfRange(bytes, HEADER, bytes.length));
    }

    /** The packet with the checksum finished as the kernel does for NEEDS_CSUM, from the field's seed on. */
    static byte[] completeChecksum(Frame frame) {
        byte[] packet = frame.packet().clone();
        if ((frame.header().flags() & 1) != 0) {
            int start = frame.header().csumStart();
            int field = start + frame.header().csumOffset();
            int checksum = ReferenceChecksum.checksum(packet, start, packet.length - start, 0);
            packet[field] = (byte) (checksum >> 8);
            packet[field + 1] = (byte) checksum;
        }
        return packet;
    }

    /** TCP segments between random endpoints, IPv4 or IPv6, with random options and payload up to 1400 bytes. */
    static Arbitrary<TcpPackets.Tcp> segments(int flags) {
        Arbitrary<Integer> version = Arbitraries.of(4, 6);
        Arbitrary<byte[]> address = Arbitraries.bytes().array(byte[].class).ofSize(16);
        Arbitrary<byte[]> options = Arbitraries.integers().between(0, 10)
                .flatMap(words -> Arbitraries.bytes().array(byte[].class).ofSize(4 * words));
        Arbitrary<Integer> u16 = Arbitraries.integers().between(0, 0xFFFF);
        Arbitrary<Long> u32 = Arbitraries.longs().between(0, 0xFFFF_FFFFL);
        Arbitrary<byte[]> payload = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(1400);
        return Combinators.combine(version, address, address, u16, u16, u32, u32, options).as(
                (v, source, destination, sourcePort, destinationPort, sequence, ack, optionBytes) ->
                        new TcpPackets.Tcp(v, Arrays.copyOf(source, v == 4 ? 4 : 16),
                                Arrays.copyOf(destination, v == 4 ? 4 : 16), 0x28, 61, 0x1234, sourcePort,
                                destinationPort, sequence, ack, flags, 0x2000, optionBytes, new byte[0]))
                .flatMap(tcp -> payload.map(bytes -> tcp.with(tcp.sequence(), flags, bytes)));
    }
}
