package io.vpncloud.api;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Opens the node's {@link UdpSocket}. Implementations are found through {@link java.util.ServiceLoader}; a node
 * uses the first available one and otherwise a JDK {@link java.nio.channels.DatagramChannel}.
 */
public interface UdpSocketProvider {

    /**
     * A short name, such as {@code linux}.
     *
     * @return the provider's name
     */
    String name();

    /**
     * Whether this provider can work here; when not, {@link #unavailableReason()} says why. By default: always.
     *
     * @return true when it can open sockets here
     */
    default boolean isAvailable() {
        return true;
    }

    /**
     * Why the provider is not available; empty when it is (the default).
     *
     * @return the reason, or an empty string
     */
    default String unavailableReason() {
        return "";
    }

    /**
     * Opens and binds a socket. An unresolved or wildcard address binds all interfaces of both address families
     * (IPv4 senders then appear with plain IPv4 addresses, not IPv4-mapped IPv6 ones).
     *
     * @param listen the local address to bind
     * @param bufferBytes the size asked for the kernel's send and receive buffers
     * @throws IOException with a message naming the address when binding fails
     * @return the bound socket
     */
    UdpSocket bind(InetSocketAddress listen, int bufferBytes) throws IOException;
}
