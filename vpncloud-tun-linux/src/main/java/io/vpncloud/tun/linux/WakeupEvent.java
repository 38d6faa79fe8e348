package io.vpncloud.tun.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.ref.Reference;

/**
 * An eventfd that threads poll next to the TUN descriptor, so {@link #signal()} wakes every waiter. It is never
 * read back: once signalled it stays readable, and any later wait returns at once.
 */
final class WakeupEvent implements AutoCloseable {

    private final int fd;

    WakeupEvent() throws TunDeviceException {
        fd = LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
        if (fd < 0) {
            throw TunDeviceException.systemError("creating an eventfd", Native.getLastError());
        }
    }

    int fd() {
        return fd;
    }

    /** Makes the event readable. */
    void signal() {
        Memory one = new Memory(Long.BYTES);
        one.setLong(0, 1);
        LibC.write(fd, Pointer.nativeValue(one), Long.BYTES);
        Reference.reachabilityFence(one);
    }

    @Override
    public void close() {
        LibC.close(fd);
    }
}
