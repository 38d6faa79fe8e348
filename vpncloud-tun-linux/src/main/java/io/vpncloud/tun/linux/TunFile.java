package io.vpncloud.tun.linux;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.StampedLock;

/**
 * An open {@code /dev/net/tun} descriptor attached to one TUN interface: packet reads and writes on native
 * memory, and a close that wakes blocked readers.
 *
 * <p>The descriptor is non-blocking: a read first just tries (no extra system call while packets keep coming)
 * and only polls when nothing is queued. The poll also watches a {@link WakeupEvent}, which {@link #close()}
 * signals; a plain {@code close(2)} would not wake a thread blocked on the descriptor. Calls in flight hold a
 * shared lock that close takes exclusively before closing the descriptor, so a descriptor number is never used
 * after it was closed (and perhaps reused by an unrelated file).
 */
final class TunFile implements AutoCloseable {

    private static final String DEVICE_PATH = "/dev/net/tun";
    /** {@code _IOW('T', 202, int)}. */
    private static final NativeLong TUNSETIFF = new NativeLong(0x400454caL);
    private static final short IFF_TUN = 0x0001;
    private static final short IFF_NO_PI = 0x1000;

    private final int fd;
    private final String name;
    private final WakeupEvent wakeup;
    private final StampedLock closeLock = new StampedLock();
    private final AtomicBoolean closed = new AtomicBoolean();

    private TunFile(int fd, String name, WakeupEvent wakeup) {
        this.fd = fd;
        this.name = name;
        this.wakeup = wakeup;
    }

    /**
     * Creates (or attaches to a persistent) TUN interface named {@code requestedName}, which may be a
     * pattern with {@code %d}.
     */
    static TunFile open(String requestedName) throws TunDeviceException {
        IfReq request = new IfReq(requestedName);
        request.setFlags((short) (IFF_TUN | IFF_NO_PI));
        int fd = LibC.open(DEVICE_PATH, LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        if (fd < 0) {
            throw openFailure(Native.getLastError());
        }
        try {
            if (LibC.ioctl(fd, TUNSETIFF, request.pointer()) < 0) {
                throw attachFailure(requestedName, Native.getLastError());
            }
            return new TunFile(fd, request.name(), new WakeupEvent());
        } catch (TunDeviceException e) {
            LibC.close(fd);
            throw e;
        }
    }

    /** The interface name the kernel gave. */
    String name() {
        return name;
    }

    /**
     * Reads one packet into native memory, waiting for one if none is queued. The kernel silently cuts a
     * packet longer than {@code capacity}.
     *
     * @return the packet length
     */
    int read(long address, int capacity) throws IOException {
        long stamp = closeLock.readLock();
        try {
            ensureOpen();
            while (true) {
                long length = LibC.read(fd, address, capacity);
                if (length >= 0) {
                    return (int) length;
                }
                int errno = Native.getLastError();
                if (errno == LibC.EAGAIN) {
                    awaitReady(LibC.POLLIN);
                } else if (errno != LibC.EINTR) {
                    throw TunDeviceException.systemError("reading a packet from " + name, errno);
                }
            }
        } finally {
            closeLock.unlockRead(stamp);
        }
    }

    /** Writes one packet from native memory. */
    void write(long address, int length) throws IOException {
        long stamp = closeLock.readLock();
        try {
            ensureOpen();
            while (true) {
                long written = LibC.write(fd, address, length);
                if (written == length) {
                    return;
                }
                if (written >= 0) {
                    throw new IOException("TUN device " + name + " took " + written + " of " + length + " bytes");
                }
                int errno = Native.getLastError();
                if (errno == LibC.EAGAIN) {
                    awaitReady(LibC.POLLOUT);
                } else if (errno != LibC.EINTR) {
                    throw writeFailure(errno, length);
                }
            }
        } finally {
            closeLock.unlockRead(stamp);
        }
    }

    /** Wakes blocked readers and writers, waits until they have left, then closes the descriptor. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        wakeup.signal();
        long stamp = closeLock.writeLock();
        try {
            LibC.close(fd);
            wakeup.close();
        } finally {
            closeLock.unlockWrite(stamp);
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (closed.get()) {
            throw new ClosedChannelException();
        }
    }

    /** Polls the descriptor and the wake-up event; throws when the event fired (the file is closing). */
    private void awaitReady(short events) throws IOException {
        NativeScratch scratch = NativeScratch.current();
        scratch.pollFds.setInt(0, fd);
        scratch.pollFds.setShort(4, events);
        scratch.pollFds.setShort(6, (short) 0);
        scratch.pollFds.setInt(NativeScratch.POLLFD_SIZE, wakeup.fd());
        scratch.pollFds.setShort(NativeScratch.POLLFD_SIZE + 4, LibC.POLLIN);
        scratch.pollFds.setShort(NativeScratch.POLLFD_SIZE + 6, (short) 0);
        if (LibC.poll(scratch.pollFdsAddress, 2, -1) < 0) {
            int errno = Native.getLastError();
            if (errno != LibC.EINTR) {
                throw TunDeviceException.systemError("waiting on " + name, errno);
            }
        } else if (scratch.pollFds.getShort(NativeScratch.POLLFD_SIZE + 6) != 0) {
            throw new AsynchronousCloseException();
        }
    }

    private TunDeviceException writeFailure(int errno, int length) {
        if (errno == LibC.EIO) {
            return new TunDeviceException(TunDeviceException.Reason.SYSTEM_ERROR, errno, "TUN device " + name
                    + " is down, so it takes no packets; give it an address (which brings it up) or set it up");
        }
        return TunDeviceException.systemError("writing a packet of " + length + " bytes to " + name, errno);
    }

    private static TunDeviceException openFailure(int errno) {
        return switch (errno) {
            case LibC.ENOENT, LibC.ENODEV, LibC.ENXIO -> new TunDeviceException(TunDeviceException.Reason.NO_TUN_DRIVER,
                    errno, "cannot open " + DEVICE_PATH + ": " + TunDeviceException.describe(errno)
                    + "; load the tun driver with 'modprobe tun' (in a container, pass --device " + DEVICE_PATH + ")");
            case LibC.EPERM, LibC.EACCES -> TunDeviceException.permissionDenied("opening " + DEVICE_PATH, errno);
            default -> TunDeviceException.systemError("opening " + DEVICE_PATH, errno);
        };
    }

    private static TunDeviceException attachFailure(String requestedName, int errno) {
        return switch (errno) {
            case LibC.EPERM, LibC.EACCES -> TunDeviceException.permissionDenied("creating TUN device", errno);
            case LibC.EBUSY -> new TunDeviceException(TunDeviceException.Reason.NAME_IN_USE, errno,
                    "device name " + requestedName + " is in use (another process has it open); choose another name"
                    + " or a pattern such as vpncloud%d");
            case LibC.EINVAL -> invalidName(requestedName, errno);
            default -> TunDeviceException.systemError("creating TUN device " + requestedName, errno);
        };
    }

    /** The kernel answers EINVAL both for a bad name and for a name held by a non-TUN interface. */
    private static TunDeviceException invalidName(String requestedName, int errno) {
        if (!InterfaceName.isPattern(requestedName) && Files.exists(Path.of("/sys/class/net", requestedName))) {
            return new TunDeviceException(TunDeviceException.Reason.NAME_IN_USE, errno,
                    "device name " + requestedName + " is in use by an interface that is not a TUN device;"
                    + " choose another name or a pattern such as vpncloud%d");
        }
        return new TunDeviceException(TunDeviceException.Reason.INVALID_NAME, errno,
                "invalid device name " + requestedName + ": " + TunDeviceException.describe(errno));
    }
}
