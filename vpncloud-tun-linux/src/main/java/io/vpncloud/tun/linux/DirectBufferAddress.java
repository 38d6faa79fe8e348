package io.vpncloud.tun.linux;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/**
 * Remembers the native address of the last direct buffer it was asked about. A packet loop reuses one buffer,
 * so JNA is asked (and a {@link Pointer} allocated) only when the buffer changes. Holding the buffer also keeps
 * its memory alive while its address is in use. Safe for concurrent use: the entry is swapped whole.
 */
final class DirectBufferAddress {

    private record Entry(ByteBuffer buffer, long address) {
    }

    private volatile Entry last = new Entry(null, 0);

    /** The native address of {@code buffer}'s element 0; {@code buffer} must be direct. */
    long of(ByteBuffer buffer) {
        Entry entry = last;
        if (entry.buffer() != buffer) {
            entry = new Entry(buffer, Pointer.nativeValue(Native.getDirectBufferPointer(buffer)));
            last = entry;
        }
        return entry.address();
    }
}
