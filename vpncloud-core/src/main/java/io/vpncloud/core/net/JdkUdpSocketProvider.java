package io.vpncloud.core.net;

import io.vpncloud.api.UdpSocket;
import io.vpncloud.api.UdpSocketProvider;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Opens {@link JdkUdpSocket}s. A node falls back to it when no other provider is available; giving it to
 * {@code VpnNode.Builder.socketProvider} turns segmentation offload off.
 */
public final class JdkUdpSocketProvider implements UdpSocketProvider {

    @Override
    public String name() {
        return "jdk";
    }

    @Override
    public UdpSocket bind(InetSocketAddress listen, int bufferBytes) throws IOException {
        return JdkUdpSocket.bind(listen, bufferBytes);
    }
}
