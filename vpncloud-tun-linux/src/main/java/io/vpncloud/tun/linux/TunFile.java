package io.vpncloud.tun.linux;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import io.vpncloud.api.DeviceType;
import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.StampedLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open {@code /dev/net/tun} descriptor attached to one TUN or TAP interface: packet (or frame) reads and writes
 * on native memory, and a close that wakes blocked readers.
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
    private static final short IFF_TAP = 0x0002;
    private static final short IFF_NO_PI = 0x1000;
    private static final short IFF_VNET_HDR = 0x4000;
    /** {@code _IOW('T', 208, unsigned int)}. */
    private static final NativeLong TUNSETOFFLOAD = new NativeLong(0x400454d0L);
    private static final int TUN_F_CSUM = 0x01;
    private static final int TUN_F_TSO4 = 0x02;
    private static final int TUN_F_TSO6 = 0x04;
    private static final Pointer OFFLOAD_FLAGS = Pointer.createConstant(TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6);

    private static final Logger LOG = LoggerFactory.getLogger(TunFile.class);

    /** {@link #awaitReadableWith}: the other descriptor is readable. */
    static final int OTHER_READY = 1;
    /** {@link #awaitReadableWith}: a packet is queued. */
    static final int SELF_READY = 2;

    private final int fd;
    private final String name;
    private final DeviceType type;
    private final boolean offload;
    private final WakeupEvent wakeup;
    private final StampedLock closeLock = new StampedLock();
    private final AtomicBoolean closed = new AtomicBoolean();

    private TunFile(int fd, String name, DeviceType type, boolean offload, WakeupEvent wakeup) {
        this.fd = fd;
        this.name = name;
        this.type = type;
        this.offload = offload;
        this.wakeup = wakeup;
    }

    /**
     * Creates (or attaches to a persistent) TUN or TAP interface named {@code requestedName}, which may be a
     * pattern with {@code %d}. With {@code offload}, asks for virtio-net headers and TCP offloads and, when the
     * kernel refuses them, opens the plain device instead and says so in one log line; {@link #offload()} tells
     * which it got.
     */
    static TunFile open(String requestedName, DeviceType type, boolean offload) throws TunDeviceException {
        int refusal = 0;
        if (offload) {
            IfReq request = new IfReq(requestedName);
            int fd = openDevice();
            refusal = attachWithOffload(fd, request, type);
            if (refusal == 0) {
                return create(fd, request.name(), type, true);
            }
            LibC.close(fd);
        }
        // A fresh request: a refused attempt may have turned a pattern into a name, and that device is gone.
        IfReq request = new IfReq(requestedName);
        int fd = openDevice();
        int errno = attach(fd, request, (short) (typeFlag(type) | IFF_NO_PI));
        if (errno != 0) {
            LibC.close(fd);
            throw attachFailure(requestedName, type, errno);
        }
        TunFile file = create(fd, request.name(), type, false);
        if (refusal != 0) {
            LOG.info("{} device {} works without TCP offloads: the kernel refused them ({})", type, file.name(),
                    TunDeviceException.describe(refusal));
        }
        return file;
    }

    /**
     * Two files joined to each other instead of to an interface (a Unix socket pair that keeps packet boundaries,
     * as a TUN descriptor does): what one writes, the other reads, virtio-net header included when {@code offload}.
     * For warming up the data path's code; no interface is created.
     */
    static TunFile[] pair(DeviceType type, boolean offload) throws TunDeviceException {
        int[] fds = new int[2];
        if (LibC.socketpair(LibC.AF_UNIX, LibC.SOCK_SEQPACKET | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0, fds) < 0) {
            throw TunDeviceException.systemError("making a socket pair", Native.getLastError());
        }
        TunFile first;
        try {
            first = create(fds[0], "warm-up-0", type, offload);
        } catch (TunDeviceException e) {
            LibC.close(fds[1]);
            throw e;
        }
        try {
            return new TunFile[]{first, create(fds[1], "warm-up-1", type, offload)};
        } catch (TunDeviceException e) {
            first.close();
            throw e;
        }
    }

    private static short typeFlag(DeviceType type) {
        return type == DeviceType.TAP ? IFF_TAP : IFF_TUN;
    }

    /**
     * Attaches with virtio-net headers and turns the offloads on; returns 0, or the error that refused them. Only
     * refusals a plain device might not meet are returned; others throw.
     */
    private static int attachWithOffload(int fd, IfReq request, DeviceType type) throws TunDeviceException {
        String requestedName = request.name();
        int errno = attach(fd, request, (short) (typeFlag(type) | IFF_NO_PI | IFF_VNET_HDR));
        if (errno != 0 && errno != LibC.EINVAL) {
            LibC.close(fd);
            throw attachFailure(requestedName, type, errno);
        }
        // TUNSETOFFLOAD takes the flag word itself, passed where a pointer would go.
        if (errno == 0 && LibC.ioctl(fd, TUNSETOFFLOAD, OFFLOAD_FLAGS) < 0) {
            errno = Native.getLastError();
        }
        return errno;
    }

    private static int openDevice() throws TunDeviceException {
        int fd = LibC.open(DEVICE_PATH, LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        if (fd < 0) {
            throw openFailure(Native.getLastError());
        }
        return fd;
    }

    /** TUNSETIFF; returns 0 or the error. The kernel writes the device's name into {@code request}. */
    private static int attach(int fd, IfReq request, short flags) {
        request.setFlags(flags);
        return LibC.ioctl(fd, TUNSETIFF, request.pointer()) < 0 ? Native.getLastError() : 0;
    }

    /** The file for an attached descriptor, which it closes if that fails. */
    private static TunFile create(int fd, String name, DeviceType type, boolean offload)
            throws TunDeviceException {
        try {
            return new TunFile(fd, name, type, offload, new WakeupEvent());
        } catch (TunDeviceException e) {
            LibC.close(fd);
            throw e;
        }
    }

    /** The interface name the kernel gave. */
    String name() {
        return name;
    }

    /** Whether the descriptor carries IP packets (TUN) or Ethernet frames (TAP). */
    DeviceType type() {
        return type;
    }

    /** Whether packets carry a virtio-net header and the kernel uses TCP offloads. */
    boolean offload() {
        return offload;
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
            int length;
            while ((length = readQueued(address, capacity)) < 0) {
                awaitReady(LibC.POLLIN);
            }
            return length;
        } finally {
            closeLock.unlockRead(stamp);
        }
    }

    /**
     * Reads one packet into native memory if one is queued, without waiting.
     *
     * @return the packet length, or -1 when none is queued
     */
    int readIfReady(long address, int capacity) throws IOException {
        long stamp = closeLock.readLock();
        try {
            ensureOpen();
            return readQueued(address, capacity);
        } finally {
            closeLock.unlockRead(stamp);
        }
    }

    /** Waits until a packet is queued, without reading it. */
    void awaitReadable() throws IOException {
        long stamp = closeLock.readLock();
        try {
            ensureOpen();
            awaitReady(LibC.POLLIN);
        } finally {
            closeLock.unlockRead(stamp);
        }
    }

    /**
     * Waits until a packet is queued or {@code socketFd} is readable (a datagram, an error report, or the socket shut
     * down), without reading either: {@link #OTHER_READY} and {@link #SELF_READY} or-ed together, 0 after a signal.
     */
    int awaitReadableWith(int socketFd) throws IOException {
        long stamp = closeLock.readLock();
        try {
            ensureOpen();
            NativeScratch scratch = NativeScratch.current();
            setPollFd(scratch, 0, fd);
            setPollFd(scratch, 1, wakeup.fd());
            setPollFd(scratch, 2, socketFd);
            if (LibC.poll(scratch.pollFdsAddress, 3, -1) < 0) {
                int errno = Native.getLastError();
                if (errno != LibC.EINTR) {
                    throw TunDeviceException.systemError("waiting on " + name, errno);
                }
                return 0;
            }
            if (revents(scratch, 1) != 0) {
                throw new AsynchronousCloseException();
            }
            return (revents(scratch, 2) != 0 ? OTHER_READY : 0) | (revents(scratch, 0) != 0 ? SELF_READY : 0);
        } finally {
            closeLock.unlockRead(stamp);
        }
    }

    private static void setPollFd(NativeScratch scratch, int index, int descriptor) {
        long offset = (long) index * NativeScratch.POLLFD_SIZE;
        scratch.pollFds.setInt(offset, descriptor);
        scratch.pollFds.setShort(offset + 4, LibC.POLLIN);
        scratch.pollFds.setShort(offset + 6, (short) 0);
    }

    private static short revents(NativeScratch scratch, int index) {
        return scratch.pollFds.getShort((long) index * NativeScratch.POLLFD_SIZE + 6);
    }

    /** One read of the non-blocking descriptor: the length, or -1 when nothing is queued. Under the close lock. */
    private int readQueued(long address, int capacity) throws TunDeviceException {
        while (true) {
            long length = LibC.read(fd, address, capacity);
            if (length >= 0) {
                return (int) length;
            }
            int errno = Native.getLastError();
            if (errno == LibC.EAGAIN) {
                return -1;
            }
            if (errno != LibC.EINTR) {
                throw TunDeviceException.systemError("reading a packet from " + name, errno);
            }
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
                    throw new IOException(type + " device " + name + " took " + written + " of " + length + " bytes");
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
            return new TunDeviceException(TunDeviceException.Reason.SYSTEM_ERROR, errno, type + " device " + name
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

    private static TunDeviceException attachFailure(String requestedName, DeviceType type, int errno) {
        return switch (errno) {
            case LibC.EPERM, LibC.EACCES -> TunDeviceException.permissionDenied("creating " + type + " device", errno);
            case LibC.EBUSY -> new TunDeviceException(TunDeviceException.Reason.NAME_IN_USE, errno,
                    "device name " + requestedName + " is in use (another process has it open); choose another name"
                    + " or a pattern such as vpncloud%d");
            case LibC.EINVAL -> invalidName(requestedName, type, errno);
            default -> TunDeviceException.systemError("creating " + type + " device " + requestedName, errno);
        };
    }

    /**
     * The kernel answers EINVAL both for a bad name and for a name held by an interface of another kind (a TUN
     * device asked for as TAP counts as such).
     */
    private static TunDeviceException invalidName(String requestedName, DeviceType type, int errno) {
        if (!InterfaceName.isPattern(requestedName) && Files.exists(Path.of("/sys/class/net", requestedName))) {
            return new TunDeviceException(TunDeviceException.Reason.NAME_IN_USE, errno,
                    "device name " + requestedName + " is in use by an interface that is not a " + type + " device;"
                    + " choose another name or a pattern such as vpncloud%d");
        }
        return new TunDeviceException(TunDeviceException.Reason.INVALID_NAME, errno,
                "invalid device name " + requestedName + ": " + TunDeviceException.describe(errno));
    }
}
