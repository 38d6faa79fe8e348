/**
 * The VPN node: {@link io.vpncloud.core.VpnNode} and its builder, status and in-memory device. Only this package
 * is exported; the protocol, crypto, peer and routing packages are internal. TUN devices and UDP sockets come from
 * providers found through {@link java.util.ServiceLoader} (such as vpncloud-tun-linux) or given to the builder.
 */
module io.vpncloud.core {
    requires transitive io.vpncloud.api;
    requires org.slf4j;
    requires org.bouncycastle.provider;
    requires java.management; // the optional status MXBean (NodeStatusMBeans)

    exports io.vpncloud.core;

    uses io.vpncloud.api.TunDeviceProvider;
    uses io.vpncloud.api.UdpSocketProvider;
}
