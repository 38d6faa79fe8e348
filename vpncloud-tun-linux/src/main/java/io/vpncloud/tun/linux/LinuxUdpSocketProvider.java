package io.vpncloud.tun.linux;

import io.vpncloud.api.UdpSocketProvider;
import java.io.IOException;
import java.net.InetSocketAddress;

/** Provides {@link LinuxUdpSocket}s; registered for {@link java.util.ServiceLoader}. */
public final class LinuxUdpSocketProvider implements UdpSocketProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public LinuxUdpSocketProvider() {
    }

    @Override
    public String name() {
        return "linux";
    }

    /** Whether this is 64-bit Linux with a working JNA. */
    @Override
    public boolean isAvailable() {
        return unavailableReason().isEmpty();
    }

    @Override
    public String unavailableReason() {
        String problem = LinuxTunSupport.platformProblem();
        if (!problem.isEmpty()) {
            return problem;
        }
        try {
            return SocketLibC.LOAD_FAILURE.isEmpty() ? "" : "JNA could not bind the C library: "
                    + SocketLibC.LOAD_FAILURE;
        } catch (LinkageError e) {
            return "JNA could not be loaded: " + e;
        }
    }

    /** {@inheritDoc} The result is a {@link LinuxUdpSocket}. */
    @Override
    public LinuxUdpSocket bind(InetSocketAddress listen, int bufferBytes) throws IOException {
        String problem = unavailableReason();
        if (!problem.isEmpty()) {
            throw new IOException("cannot listen on UDP " + Sockaddr.format(listen) + ": " + problem);
        }
        return UdpSocketBinder.bind(listen, bufferBytes);
    }
}
