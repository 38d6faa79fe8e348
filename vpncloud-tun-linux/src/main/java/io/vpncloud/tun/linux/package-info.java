/**
 * Linux TUN and TAP devices for vpncloud-java: {@link io.vpncloud.tun.linux.LinuxTunDevice} over {@code /dev/net/tun}
 * through JNA, found by {@link java.util.ServiceLoader} through
 * {@link io.vpncloud.tun.linux.LinuxTunDeviceProvider}; and {@link io.vpncloud.tun.linux.LinuxUdpSocket}, a UDP
 * socket with segmentation offload, through {@link io.vpncloud.tun.linux.LinuxUdpSocketProvider}. Everything
 * else in this package is internal.
 */
package io.vpncloud.tun.linux;
