package io.vpncloud.api;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * A peer's UDP socket address, normalised so that {@code 1.2.3.4:3210} and {@code [::ffff:1.2.3.4]:3210}
 * are the same peer (IPv4-mapped IPv6 addresses become plain IPv4 addresses).
 */
public record PeerAddress(InetAddress address, int port) {

    /**
     * Checks the port and normalises the address.
     *
     * @param address the IP address; an IPv4-mapped IPv6 address becomes IPv4
     * @param port the UDP port, 0 to 65535
     * @throws IllegalArgumentException when the port is out of range
     */
    public PeerAddress {
        Objects.requireNonNull(address, "address");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        address = normalise(address);
    }

    /**
     * From a resolved socket address.
     *
     * @param socketAddress a resolved address
     * @return the peer address
     * @throws IllegalArgumentException when the address is unresolved
     */
    public static PeerAddress of(InetSocketAddress socketAddress) {
        if (socketAddress.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address: " + socketAddress);
        }
        return new PeerAddress(socketAddress.getAddress(), socketAddress.getPort());
    }

    /**
     * The socket address to send to.
     *
     * @return the address and port
     */
    public InetSocketAddress toSocketAddress() {
        return new InetSocketAddress(address, port);
    }

    /** IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) become IPv4; scope ids are kept for other IPv6 addresses. */
    static InetAddress normalise(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] b = address.getAddress();
            boolean mapped = b[10] == (byte) 0xFF && b[11] == (byte) 0xFF;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = b[i] == 0;
            }
            if (mapped) {
                try {
                    return Inet4Address.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
                } catch (UnknownHostException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return address;
    }

    @Override
    public String toString() {
        return address instanceof Inet6Address
                ? "[" + address.getHostAddress() + "]:" + port
                : address.getHostAddress() + ":" + port;
    }
}
