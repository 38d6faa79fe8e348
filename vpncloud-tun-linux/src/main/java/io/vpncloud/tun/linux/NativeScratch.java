package io.vpncloud.tun.linux;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * Native memory each thread reuses for every call: a packet buffer that heap {@link java.nio.ByteBuffer}s are
 * copied through, and room for three {@code struct pollfd}. Allocated once per thread, never per packet.
 */
final class NativeScratch {

    /** The largest IP packet, or the Ethernet frame (802.1Q-tagged) carrying it on a TAP device. */
    static final int PACKET_CAPACITY = 65535 + 18;

    /** {@code struct pollfd { int fd; short events; short revents; }}. */
    static final int POLLFD_SIZE = 8;

    private static final ThreadLocal<NativeScratch> PER_THREAD = ThreadLocal.withInitial(NativeScratch::new);

    final Memory packet = new Memory(PACKET_CAPACITY);
    final long packetAddress = Pointer.nativeValue(packet);
    final Memory pollFds = new Memory(3 * POLLFD_SIZE);
    final long pollFdsAddress = Pointer.nativeValue(pollFds);

    private NativeScratch() {
    }

    /** This thread's scratch memory. */
    static NativeScratch current() {
        return PER_THREAD.get();
    }
}
