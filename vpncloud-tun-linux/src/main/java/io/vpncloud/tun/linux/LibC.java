package io.vpncloud.tun.linux;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The few C library calls a TUN device needs, bound with JNA direct mapping (static natives, no proxy, no
 * boxing). Buffers on the data path are passed as raw addresses ({@code long}), so a call allocates nothing.
 *
 * <p>The constants are those of the generic Linux ABI shared by x86-64, aarch64 and riscv64; other
 * architectures are rejected by {@link LinuxTunDeviceProvider} before this class is used.
 */
final class LibC {

    static final int O_RDWR = 0x2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;

    static final int AF_INET = 2;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = O_CLOEXEC;
    static final int SOCK_NONBLOCK = O_NONBLOCK;
    static final int AF_UNIX = 1;
    static final int SOCK_SEQPACKET = 5;

    static final int EFD_NONBLOCK = O_NONBLOCK;
    static final int EFD_CLOEXEC = O_CLOEXEC;

    static final short POLLIN = 0x1;
    static final short POLLOUT = 0x4;

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EIO = 5;
    static final int ENXIO = 6;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EBUSY = 16;
    static final int ENODEV = 19;
    static final int EINVAL = 22;
    static final int EADDRNOTAVAIL = 99;

    /** Why the library could not be bound, or empty when it was. */
    static final String LOAD_FAILURE;

    static {
        String failure = "";
        try {
            Native.register(LibC.class, Platform.C_LIBRARY_NAME);
        } catch (LinkageError e) {
            // Also catches JNA's own classes or native stub missing; the provider reports this as unavailable.
            failure = e.toString();
        }
        LOAD_FAILURE = failure;
    }

    private LibC() {
    }

    static native int open(String path, int flags);

    static native int close(int fd);

    static native int ioctl(int fd, NativeLong request, Pointer argument);

    /** {@code ssize_t read(int, void *, size_t)} with the buffer as a raw address (64-bit only). */
    static native long read(int fd, long buffer, long count);

    /** {@code ssize_t write(int, const void *, size_t)} with the buffer as a raw address (64-bit only). */
    static native long write(int fd, long buffer, long count);

    /** {@code int poll(struct pollfd *, nfds_t, int)} with the array as a raw address. */
    static native int poll(long fds, long count, int timeoutMillis);

    static native int eventfd(int initialValue, int flags);

    static native int socket(int domain, int type, int protocol);

    static native int socketpair(int domain, int type, int protocol, int[] descriptors);

    static native String strerror(int errno);
}
