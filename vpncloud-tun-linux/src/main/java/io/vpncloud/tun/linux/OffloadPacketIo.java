package io.vpncloud.tun.linux;

import io.vpncloud.api.DeviceType;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Packets through a descriptor opened with {@code IFF_VNET_HDR} and TCP offloads on. Per-packet cost in a VPN
 * node is mostly system calls and the kernel's per-packet network stack work; with offloads one read takes a
 * TCP super-packet of up to 64 KiB ({@link TcpSegmenter} cuts it into MTU-sized packets) and one write gives
 * the kernel up to 64 merged segments ({@link TcpCoalescer}). What the node sends and receives on the wire is
 * unchanged: ordinary IP packets no bigger than the MTU, with complete checksums. On a TAP descriptor the same
 * holds for TCP in untagged Ethernet frames (tagged frames are read apart but written unmerged).
 */
final class OffloadPacketIo implements PacketIo {

    private final TunFile file;
    private final NativeFrame readFrame = new NativeFrame();
    private final TcpSegmenter segmenter;
    private final TcpCoalescer coalescer;

    OffloadPacketIo(TunFile file, OffloadCounters counters) {
        this.file = file;
        boolean ethernet = file.type() == DeviceType.TAP;
        this.segmenter = new TcpSegmenter(counters, ethernet);
        this.coalescer = new TcpCoalescer((frame, length) -> file.write(frame.address, length), counters, ethernet);
    }

    @Override
    public int readIfReady(ByteBuffer dst) throws IOException {
        while (true) {
            if (segmenter.hasNext()) {
                int length = segmenter.next(dst);
                if (length >= 0) {
                    return length;
                }
            } else {
                int length = file.readIfReady(readFrame.address, NativeFrame.CAPACITY);
                if (length < 0) {
                    return -1;
                }
                segmenter.load(readFrame.buffer, length);
            }
        }
    }

    @Override
    public void awaitReadable() throws IOException {
        if (!segmenter.hasNext()) {
            file.awaitReadable();
        }
    }

    @Override
    public int awaitReadableWith(int socketFd) throws IOException {
        return segmenter.hasNext() ? TunFile.SELF_READY : file.awaitReadableWith(socketFd);
    }

    @Override
    public boolean hasPending() {
        return segmenter.hasNext();
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        coalescer.write(src);
    }

    @Override
    public void flush() throws IOException {
        coalescer.flush();
    }

    @Override
    public boolean holdsWrites() {
        return coalescer.holdsRun();
    }
}
