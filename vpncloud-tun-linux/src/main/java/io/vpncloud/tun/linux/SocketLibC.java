package io.vpncloud.tun.linux;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The C library's socket calls that {@link LinuxUdpSocket} needs beyond {@link LibC}, bound with JNA direct
 * mapping. Structures are passed as raw addresses ({@code long}), so a call allocates nothing.
 *
 * <p>The constants are those of the generic Linux ABI shared by x86-64, aarch64 and riscv64 (see
 * {@link LinuxTunSupport}).
 */
final class SocketLibC {

    static final int AF_INET6 = 10;

    static final int SOL_SOCKET = 1;
    static final int SO_SNDBUF = 7;
    static final int SO_RCVBUF = 8;
    static final int SO_SNDBUFFORCE = 32;
    static final int SO_RCVBUFFORCE = 33;

    static final int SOL_IP = 0;
    /** Queue the ICMP errors for sent datagrams on the socket's error queue (IPv4, also on dual-stack sockets). */
    static final int IP_RECVERR = 11;

    static final int IPPROTO_IPV6 = 41;
    static final int IPV6_V6ONLY = 26;
    /** {@link #IP_RECVERR} for IPv6. */
    static final int IPV6_RECVERR = 25;

    static final int SOL_UDP = 17;
    /** Send option (also a control message): the size of each datagram a send is cut into. */
    static final int UDP_SEGMENT = 103;
    /** Receive option (also a control message): datagrams of one sender arrive back to back. */
    static final int UDP_GRO = 104;

    static final int MSG_CTRUNC = 0x8;
    static final int MSG_TRUNC = 0x20;
    static final int MSG_DONTWAIT = 0x40;
    /** {@code recvmsg} flag: read the socket's error queue instead of its data. */
    static final int MSG_ERRQUEUE = 0x2000;

    static final int SHUT_RDWR = 2;

    static final int ENONET = 64;
    static final int EPROTO = 71;
    static final int EMSGSIZE = 90;
    static final int ENOPROTOOPT = 92;
    static final int EOPNOTSUPP = 95;
    static final int EAFNOSUPPORT = 97;
    static final int ENETUNREACH = 101;
    static final int ECONNREFUSED = 111;
    static final int EHOSTDOWN = 112;
    static final int EHOSTUNREACH = 113;

    /** Why the library could not be bound, or empty when it was. */
    static final String LOAD_FAILURE;

    static {
        String failure = "";
        try {
            Native.register(SocketLibC.class, Platform.C_LIBRARY_NAME);
        } catch (LinkageError e) {
            failure = e.toString();
        }
        LOAD_FAILURE = failure;
    }

    private SocketLibC() {
    }

    static native int bind(int fd, long address, int addressLength);

    static native int getsockname(int fd, long address, long addressLengthPointer);

    static native int setsockopt(int fd, int level, int option, long value, int valueLength);

    /** {@code ssize_t sendmsg(int, const struct msghdr *, int)}. */
    static native long sendmsg(int fd, long message, int flags);

    /** {@code ssize_t recvmsg(int, struct msghdr *, int)}. */
    static native long recvmsg(int fd, long message, int flags);

    static native int shutdown(int fd, int how);
}
