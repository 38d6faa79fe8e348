package io.vpncloud.tun.linux;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/**
 * A direct buffer allocated once, with its native address for the system calls: a virtio-net header followed by
 * one packet (or one TCP super-packet) as an offload TUN descriptor reads and writes it. Big-endian, like packets.
 */
final class NativeFrame {

    /** A virtio-net header and the largest IP packet with a few spare bytes, so a longer one is seen as such. */
    static final int CAPACITY = VirtioNetHeader.SIZE + 65535 + 64;

    final ByteBuffer buffer;
    final long address;

    NativeFrame() {
        buffer = ByteBuffer.allocateDirect(CAPACITY);
        address = Pointer.nativeValue(Native.getDirectBufferPointer(buffer));
    }
}
