/**
 * The public API of vpncloud-java: value types ({@link io.vpncloud.api.IpRange}, {@link io.vpncloud.api.NodeId},
 * {@link io.vpncloud.api.PeerAddress}), the TUN device SPI ({@link io.vpncloud.api.TunDevice},
 * {@link io.vpncloud.api.TunDeviceProvider}), the UDP socket SPI ({@link io.vpncloud.api.UdpSocket},
 * {@link io.vpncloud.api.UdpSocketProvider}) and node events ({@link io.vpncloud.api.VpnEvent}).
 */
package io.vpncloud.api;
