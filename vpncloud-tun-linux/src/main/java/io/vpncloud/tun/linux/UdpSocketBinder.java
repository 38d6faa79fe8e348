package io.vpncloud.tun.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.lang.ref.Reference;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens and binds a {@link LinuxUdpSocket}: picks the address family, sizes the kernel buffers and switches on
 * the offloads the kernel has. A wildcard or unresolved address gets one dual-stack IPv6 socket, or an IPv4 one
 * where the system has no IPv6.
 */
final class UdpSocketBinder {

    private static final Logger LOG = LoggerFactory.getLogger(UdpSocketBinder.class);
    private static final int SOCKET_TYPE = LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC;

    /** The system has no IPv6: a wildcard address then falls back to IPv4. */
    private static final class NoIpv6Exception extends IOException {
        NoIpv6Exception(String message) {
            super(message);
        }
    }

    private UdpSocketBinder() {
    }

    static LinuxUdpSocket bind(InetSocketAddress listen, int bufferBytes) throws IOException {
        String failurePrefix = "cannot listen on UDP " + Sockaddr.format(listen) + ": ";
        InetAddress address = listen.isUnresolved() ? null : listen.getAddress();
        if (address != null && !address.isAnyLocalAddress()) {
            int family = address instanceof Inet4Address ? LibC.AF_INET : SocketLibC.AF_INET6;
            return open(family, listen, false, bufferBytes, failurePrefix);
        }
        try {
            return open(SocketLibC.AF_INET6, new InetSocketAddress("::", listen.getPort()), true, bufferBytes,
                    failurePrefix);
        } catch (NoIpv6Exception e) {
            LOG.debug("no IPv6 here ({}); listening on IPv4 only", e.getMessage());
            return open(LibC.AF_INET, new InetSocketAddress("0.0.0.0", listen.getPort()), false, bufferBytes,
                    failurePrefix);
        }
    }

    private static LinuxUdpSocket open(int family, InetSocketAddress bindTo, boolean dualStack, int bufferBytes,
            String failurePrefix) throws IOException {
        int fd = LibC.socket(family, SOCKET_TYPE, 0);
        if (fd < 0) {
            throw failure(failurePrefix, Native.getLastError(), dualStack);
        }
        try {
            if (dualStack && setInt(fd, SocketLibC.IPPROTO_IPV6, SocketLibC.IPV6_V6ONLY, 0) != 0) {
                throw failure(failurePrefix + "cannot accept IPv4 on an IPv6 socket: ", Native.getLastError(), true);
            }
            setBufferSize(fd, SocketLibC.SO_SNDBUFFORCE, SocketLibC.SO_SNDBUF, bufferBytes);
            setBufferSize(fd, SocketLibC.SO_RCVBUFFORCE, SocketLibC.SO_RCVBUF, bufferBytes);
            bindTo(fd, family, bindTo, failurePrefix, dualStack);
            askForSendErrors(fd, family);
            boolean receiveOffload = setInt(fd, SocketLibC.SOL_UDP, SocketLibC.UDP_GRO, 1) == 0;
            // Asking for no default segment size tells whether the kernel knows UDP_SEGMENT at all.
            boolean sendOffload = setInt(fd, SocketLibC.SOL_UDP, SocketLibC.UDP_SEGMENT, 0) == 0;
            if (!sendOffload || !receiveOffload) {
                LOG.info("UDP offloads of this kernel: segmentation {}, receive batching {}",
                        sendOffload ? "on" : "off", receiveOffload ? "on" : "off");
            }
            return new LinuxUdpSocket(new SocketDescriptor(fd), family, localAddress(fd), sendOffload,
                    receiveOffload);
        } catch (IOException | RuntimeException e) {
            LibC.close(fd);
            throw e;
        }
    }

    private static void bindTo(int fd, int family, InetSocketAddress bindTo, String failurePrefix,
            boolean dualStack) throws IOException {
        Memory sockaddr = new Memory(MessageHeader.NAME_CAPACITY);
        int length = Sockaddr.write(sockaddr, 0, bindTo, family);
        int result = SocketLibC.bind(fd, Pointer.nativeValue(sockaddr), length);
        int errno = Native.getLastError();
        Reference.reachabilityFence(sockaddr);
        if (result != 0) {
            throw failure(failurePrefix, errno, dualStack);
        }
    }

    private static InetSocketAddress localAddress(int fd) throws IOException {
        Memory sockaddr = new Memory(MessageHeader.NAME_CAPACITY);
        Memory length = new Memory(Integer.BYTES);
        length.setInt(0, MessageHeader.NAME_CAPACITY);
        int result = SocketLibC.getsockname(fd, Pointer.nativeValue(sockaddr), Pointer.nativeValue(length));
        Reference.reachabilityFence(length);
        if (result != 0) {
            throw new IOException("cannot read the bound UDP address: "
                    + TunDeviceException.describe(Native.getLastError()));
        }
        return Sockaddr.read(sockaddr, 0);
    }

    /**
     * Has the kernel queue the ICMP errors that come back for sent datagrams: IPv4 ones on every socket (a dual-stack
     * socket sends IPv4 too), IPv6 ones on IPv6 sockets. Without them the socket still works, it only reports no
     * send errors.
     */
    private static void askForSendErrors(int fd, int family) {
        if (setInt(fd, SocketLibC.SOL_IP, SocketLibC.IP_RECVERR, 1) != 0) {
            LOG.debug("IP_RECVERR refused: {}", TunDeviceException.describe(Native.getLastError()));
        }
        if (family == SocketLibC.AF_INET6
                && setInt(fd, SocketLibC.IPPROTO_IPV6, SocketLibC.IPV6_RECVERR, 1) != 0) {
            LOG.debug("IPV6_RECVERR refused: {}", TunDeviceException.describe(Native.getLastError()));
        }
    }

    /**
     * Sets a kernel buffer size, beyond the system limit ({@code net.core.wmem_max/rmem_max}) where privileges
     * allow; a refusal only costs throughput, so it is logged, not thrown.
     */
    private static void setBufferSize(int fd, int forcedOption, int option, int bytes) {
        if (bytes <= 0 || setInt(fd, SocketLibC.SOL_SOCKET, forcedOption, bytes) == 0) {
            return;
        }
        if (setInt(fd, SocketLibC.SOL_SOCKET, option, bytes) != 0) {
            LOG.debug("UDP socket buffer size {} refused: {}", bytes,
                    TunDeviceException.describe(Native.getLastError()));
        }
    }

    /** {@code setsockopt} with an {@code int} value; returns 0 or -1 (then see {@link Native#getLastError()}). */
    private static int setInt(int fd, int level, int option, int value) {
        Memory memory = new Memory(Integer.BYTES);
        memory.setInt(0, value);
        int result = SocketLibC.setsockopt(fd, level, option, Pointer.nativeValue(memory), Integer.BYTES);
        Reference.reachabilityFence(memory);
        return result;
    }

    private static IOException failure(String prefix, int errno, boolean ipv6Wildcard) {
        String message = prefix + LibC.strerror(errno);
        boolean noIpv6 = errno == SocketLibC.EAFNOSUPPORT || errno == LibC.EADDRNOTAVAIL;
        return ipv6Wildcard && noIpv6 ? new NoIpv6Exception(message) : new IOException(message);
    }
}
