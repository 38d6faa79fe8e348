package io.vpncloud.core;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vpncloud.api.IpRange;
import io.vpncloud.core.crypto.ProviderChoice;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** A bad -Dvpncloud.aead.provider stops a node's start before it takes its device and port. */
class ProviderOverrideTest {
    @Test
    void aBadOverrideFailsTheStartNamingThePropertyAndLeavesThePortFree() throws Exception {
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String before = System.getProperty(ProviderChoice.PROPERTY);
        System.setProperty(ProviderChoice.PROPERTY, "chacha20=nope");
        try {
            VpnNode node = VpnNode.builder().password("test-password").listen("127.0.0.1:" + port)
                    .device(new MemoryTunDevice("override", IpRange.parse("10.0.0.1/24"))).build();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, node::start);
            assertTrue(e.getMessage().startsWith("-Dvpncloud.aead.provider=chacha20=nope: unknown provider 'nope'"),
                    e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(ProviderChoice.PROPERTY);
            } else {
                System.setProperty(ProviderChoice.PROPERTY, before);
            }
        }
        // The socket was never opened: the port can be bound again.
        try (DatagramSocket again = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            assertTrue(again.isBound());
        }
    }
}
