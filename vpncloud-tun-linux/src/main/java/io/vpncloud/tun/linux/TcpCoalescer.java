package io.vpncloud.tun.linux;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * TCP receive offload for writes to an offload TUN descriptor: consecutive data segments of one TCP connection
 * are merged into one packet of up to 64 KiB that the kernel takes as a single GRO packet, so the kernel's
 * network stack runs once per run instead of once per segment. One run is kept back at a time; any packet
 * that does not continue it first sends it, so nothing is reordered. {@link #flush()} sends the run kept back.
 *
 * <p>The segments' own TCP checksums are not checked again: the kernel computes the merged packet's checksum
 * itself (it trusts a packet marked NEEDS_CSUM), and the packets reached this node authenticated by the VPN's
 * encryption or checked by UDP. Used by one writing thread only.
 *
 * <p>On a TAP descriptor the packets are Ethernet frames; see {@link MergeableTcpPacket} for which of them merge.
 */
final class TcpCoalescer {

    /** Where frames (virtio-net header and packet) go: the descriptor. */
    interface FrameWriter {
        void write(NativeFrame frame, int length) throws IOException;
    }

    private final FrameWriter writer;
    private final OffloadCounters counters;
    private MergeableTcpPacket run;
    private MergeableTcpPacket incoming;
    private boolean running;

    /** A coalescer for a TUN descriptor: IP packets. */
    TcpCoalescer(FrameWriter writer, OffloadCounters counters) {
        this(writer, counters, false);
    }

    /** A coalescer for IP packets or, with {@code ethernet}, for the Ethernet frames of a TAP descriptor. */
    TcpCoalescer(FrameWriter writer, OffloadCounters counters, boolean ethernet) {
        this.writer = writer;
        this.counters = counters;
        this.run = new MergeableTcpPacket(ethernet);
        this.incoming = new MergeableTcpPacket(ethernet);
    }

    /** Takes the packet from {@code src}'s position to its limit and advances the position. */
    void write(ByteBuffer src) throws IOException {
        if (src.remaining() > incoming.maxLength()) {
            throw new IOException("a packet of " + src.remaining() + " bytes is larger than any IP packet"
                    + (incoming.maxLength() > MergeableTcpPacket.MAX_LENGTH ? " in an Ethernet frame" : ""));
        }
        incoming.load(src);
        if (running && run.accepts(incoming)) {
            run.append(incoming);
            return;
        }
        flush();
        if (incoming.mergeable()) {
            MergeableTcpPacket started = incoming;
            incoming = run;
            run = started;
            running = true;
        } else {
            writer.write(incoming.frame, incoming.finish());
        }
    }

    /** Whether a run is kept back, which {@link #flush()} would send. */
    boolean holdsRun() {
        return running;
    }

    /** Sends the run kept back, if any. */
    void flush() throws IOException {
        if (!running) {
            return;
        }
        running = false;
        int length = run.finish();
        if (run.segments() > 1) {
            counters.mergedWrite(run.segments());
        }
        writer.write(run.frame, length);
    }
}
