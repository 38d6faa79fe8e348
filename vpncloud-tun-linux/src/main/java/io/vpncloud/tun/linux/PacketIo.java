package io.vpncloud.tun.linux;

import java.io.IOException;
import java.nio.ByteBuffer;

/** How a {@link LinuxTunDevice} moves packets through its descriptor: plainly, or with TCP offloads. */
interface PacketIo {

    /** Reads one packet to {@code dst}'s position (which has room for the MTU) and advances it, waiting for one. */
    default int read(ByteBuffer dst) throws IOException {
        int length;
        while ((length = readIfReady(dst)) < 0) {
            awaitReadable();
        }
        return length;
    }

    /** Like {@link #read}, but -1 instead of waiting when no packet is ready. */
    int readIfReady(ByteBuffer dst) throws IOException;

    /** Waits until {@link #readIfReady} would return a packet (returns at once while {@link #hasPending}). */
    void awaitReadable() throws IOException;

    /**
     * Waits until {@link #readIfReady} would return a packet or {@code socketFd} is readable: the
     * {@link TunFile#awaitReadableWith} bits (returns {@link TunFile#SELF_READY} at once while {@link #hasPending}).
     */
    int awaitReadableWith(int socketFd) throws IOException;

    /** Whether the next {@link #read} returns without asking the kernel. */
    boolean hasPending();

    /** Writes (or keeps back until {@link #flush()}) the packet from {@code src}'s position to its limit. */
    void write(ByteBuffer src) throws IOException;

    /** Writes what {@link #write} kept back. */
    void flush() throws IOException;

    /** Whether {@link #write} kept a packet back that {@link #flush()} would write. */
    boolean holdsWrites();
}
