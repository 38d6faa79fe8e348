package io.vpncloud.tun.linux;

import com.sun.jna.Memory;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;

/**
 * Converts between {@link InetSocketAddress} and the kernel's {@code struct sockaddr_in} /
 * {@code struct sockaddr_in6} in native memory. Ports and addresses are in network byte order, the family in
 * native order.
 */
final class Sockaddr {

    static final int IPV4_SIZE = 16;
    static final int IPV6_SIZE = 28;

    private static final int PORT = 2;
    private static final int IPV4_ADDRESS = 4;
    private static final int IPV6_ADDRESS = 8;
    private static final int IPV6_SCOPE_ID = 24;
    private static final byte[] IPV4_MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

    private Sockaddr() {
    }

    /**
     * Writes {@code socketAddress} at {@code offset} as an address of {@code family}; an IPv4 address for an
     * IPv6 socket becomes IPv4-mapped.
     *
     * @return the length of the written structure
     * @throws IOException when an IPv6 address is given for an IPv4 socket
     */
    static int write(Memory memory, long offset, InetSocketAddress socketAddress, int family) throws IOException {
        InetAddress address = socketAddress.getAddress();
        if (address == null) {
            throw new UnresolvedAddressException();
        }
        if (family == LibC.AF_INET && !(address instanceof Inet4Address)) {
            throw new IOException("cannot reach IPv6 address " + format(socketAddress)
                    + " from a socket bound to IPv4");
        }
        int size = family == LibC.AF_INET ? IPV4_SIZE : IPV6_SIZE;
        memory.setMemory(offset, size, (byte) 0);
        memory.setShort(offset, (short) family);
        memory.setByte(offset + PORT, (byte) (socketAddress.getPort() >>> 8));
        memory.setByte(offset + PORT + 1, (byte) socketAddress.getPort());
        byte[] bytes = address.getAddress();
        if (family == LibC.AF_INET) {
            memory.write(offset + IPV4_ADDRESS, bytes, 0, bytes.length);
        } else if (bytes.length == 4) {
            memory.write(offset + IPV6_ADDRESS, IPV4_MAPPED_PREFIX, 0, IPV4_MAPPED_PREFIX.length);
            memory.write(offset + IPV6_ADDRESS + IPV4_MAPPED_PREFIX.length, bytes, 0, bytes.length);
        } else {
            memory.write(offset + IPV6_ADDRESS, bytes, 0, bytes.length);
            memory.setInt(offset + IPV6_SCOPE_ID, ((Inet6Address) address).getScopeId());
        }
        return size;
    }

    /**
     * Reads the {@code sockaddr_in} or {@code sockaddr_in6} at {@code offset}; an IPv4-mapped IPv6 address comes
     * back as a plain {@link Inet4Address}.
     *
     * @throws IOException for another address family
     */
    static InetSocketAddress read(Memory memory, long offset) throws IOException {
        int family = memory.getShort(offset);
        int port = ((memory.getByte(offset + PORT) & 0xff) << 8) | (memory.getByte(offset + PORT + 1) & 0xff);
        try {
            if (family == LibC.AF_INET) {
                return new InetSocketAddress(InetAddress.getByAddress(memory.getByteArray(offset + IPV4_ADDRESS, 4)),
                        port);
            }
            if (family == SocketLibC.AF_INET6) {
                byte[] bytes = memory.getByteArray(offset + IPV6_ADDRESS, 16);
                int scopeId = memory.getInt(offset + IPV6_SCOPE_ID);
                // getByAddress turns an IPv4-mapped address into an Inet4Address.
                InetAddress address = scopeId == 0 || isIpv4Mapped(bytes)
                        ? InetAddress.getByAddress(bytes) : Inet6Address.getByAddress(null, bytes, scopeId);
                return new InetSocketAddress(address, port);
            }
        } catch (UnknownHostException e) {
            throw new IOException("invalid socket address from the kernel", e);
        }
        throw new IOException("unexpected socket address family " + family);
    }

    /** {@code host:port}, with IPv6 hosts in brackets, as people write addresses (no leading slash). */
    static String format(InetSocketAddress socketAddress) {
        InetAddress address = socketAddress.getAddress();
        String host = address == null ? socketAddress.getHostString() : address.getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + socketAddress.getPort();
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < IPV4_MAPPED_PREFIX.length; i++) {
            if (bytes[i] != IPV4_MAPPED_PREFIX[i]) {
                return false;
            }
        }
        return true;
    }
}
