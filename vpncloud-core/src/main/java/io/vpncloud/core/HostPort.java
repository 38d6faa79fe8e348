package io.vpncloud.core;

import io.vpncloud.api.IpLiteral;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Host-and-port text as the reference accepts it: {@code host:port}, {@code 1.2.3.4:port}, {@code [v6]:port}.
 */
record HostPort(String host, int port) {

    /**
     * Parses without resolving.
     *
     * @param option the option name for the error message
     */
    static HostPort parse(String option, String text) {
        String s = text.trim();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException(option + ": expected HOST:PORT, not '" + text + "'");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException(option + ": write IPv6 addresses as [ADDR]:PORT, not '" + text + "'");
        }
        return new HostPort(host, parsePort(option, s.substring(colon + 1), text));
    }

    /**
     * Parses {@code [ADDR:]PORT} of the reference's {@code --listen}; a bare port listens on all interfaces. The
     * address must be an IP literal: a listen address is never looked up.
     */
    static InetSocketAddress parseListen(String text) {
        String s = text.trim();
        if (!s.contains(":")) {
            return new InetSocketAddress(parsePort("listen", s, text));
        }
        HostPort hp = parse("listen", s);
        if (hp.host.equals("*") || hp.host.isEmpty()) {
            return new InetSocketAddress(hp.port);
        }
        InetAddress address = IpLiteral.parse(hp.host).orElseThrow(() -> new IllegalArgumentException(
                "listen: '" + hp.host + "' is not an IP address (write ADDR:PORT with a literal address, or PORT)"));
        return new InetSocketAddress(address, hp.port);
    }

    /** Parses and resolves. */
    static InetSocketAddress resolve(String option, String text) {
        return parse(option, text).resolve(option);
    }

    /** Resolves the host name now (the reference re-resolves configured peers every 300 s). */
    InetSocketAddress resolve(String option) {
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(option + ": cannot resolve host '" + host + "'");
        }
    }

    private static int parsePort(String option, String port, String text) {
        try {
            int p = Integer.parseInt(port);
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException(option + ": bad port in '" + text + "'");
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
