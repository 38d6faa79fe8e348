package io.vpncloud.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns the host name of a configured peer into addresses. A node calls it on its own resolver thread, never on a
 * data or control thread, so an implementation may block (a name server that does not answer); the node caches
 * the answer and retries failures with back-off. Tests inject a slow or failing resolver through
 * {@code VpnNode.Builder.resolver(...)}.
 */
@FunctionalInterface
public interface HostResolver {

    /**
     * The addresses of {@code host}, preferred first.
     *
     * @param host a host name or address literal as the user wrote it
     * @return at least one address
     * @throws UnknownHostException when the name does not resolve
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /**
     * The system's resolver ({@link InetAddress#getAllByName}).
     *
     * @return a resolver that asks the operating system
     */
    static HostResolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}
