/**
 * Linux TUN and TAP devices and UDP sockets with segmentation offload, through JNA. Nothing is exported: a node
 * finds the two providers through {@link java.util.ServiceLoader}.
 */
@SuppressWarnings("requires-automatic") // JNA has no module descriptor; its automatic name is stable
module io.vpncloud.tun.linux {
    requires io.vpncloud.api;
    requires org.slf4j;
    requires com.sun.jna;

    provides io.vpncloud.api.TunDeviceProvider with io.vpncloud.tun.linux.LinuxTunDeviceProvider;
    provides io.vpncloud.api.UdpSocketProvider with io.vpncloud.tun.linux.LinuxUdpSocketProvider;

    // JNA reads and writes the fields of the Structure classes (ifreq, msghdr, sockaddr ...) by reflection.
    opens io.vpncloud.tun.linux to com.sun.jna;
}
