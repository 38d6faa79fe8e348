package io.vpncloud.tun.linux;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Packets through a plain {@code IFF_TUN | IFF_NO_PI} descriptor: one system call per packet. Direct buffers are
 * read and written in place; heap buffers are copied through a native buffer each thread reuses.
 */
final class PlainPacketIo implements PacketIo {

    private final TunFile file;
    private final DirectBufferAddress readBuffer = new DirectBufferAddress();
    private final DirectBufferAddress writeBuffer = new DirectBufferAddress();

    PlainPacketIo(TunFile file) {
        this.file = file;
    }

    @Override
    public int readIfReady(ByteBuffer dst) throws IOException {
        int position = dst.position();
        int length;
        if (dst.isDirect()) {
            length = file.readIfReady(readBuffer.of(dst) + position, dst.remaining());
        } else {
            NativeScratch scratch = NativeScratch.current();
            length = file.readIfReady(scratch.packetAddress, Math.min(dst.remaining(), NativeScratch.PACKET_CAPACITY));
            if (length > 0) {
                scratch.packet.read(0, dst.array(), dst.arrayOffset() + position, length);
            }
        }
        if (length >= 0) {
            dst.position(position + length);
        }
        return length;
    }

    @Override
    public void awaitReadable() throws IOException {
        file.awaitReadable();
    }

    @Override
    public int awaitReadableWith(int socketFd) throws IOException {
        return file.awaitReadableWith(socketFd);
    }

    @Override
    public boolean hasPending() {
        return false;
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        int position = src.position();
        int length = src.remaining();
        if (src.isDirect()) {
            file.write(writeBuffer.of(src) + position, length);
        } else {
            if (length > NativeScratch.PACKET_CAPACITY) {
                throw new IOException("a packet of " + length
                        + " bytes is larger than any IP packet or Ethernet frame");
            }
            NativeScratch scratch = NativeScratch.current();
            copy(src, scratch);
            file.write(scratch.packetAddress, length);
        }
        src.position(position + length);
    }

    @Override
    public void flush() {
    }

    @Override
    public boolean holdsWrites() {
        return false;
    }

    private static void copy(ByteBuffer src, NativeScratch scratch) {
        int position = src.position();
        if (src.hasArray()) {
            scratch.packet.write(0, src.array(), src.arrayOffset() + position, src.remaining());
        } else {
            // A read-only heap buffer hides its array; absolute gets copy it without allocating.
            for (int i = 0; i < src.remaining(); i++) {
                scratch.packet.setByte(i, src.get(position + i));
            }
        }
    }
}
