package io.vpncloud.api;

/**
 * What a virtual network device carries, as the reference's {@code --type}.
 */
public enum DeviceType {
    /** A layer-3 device: IP packets (IPv4 and IPv6), routed by their destination IP address. */
    TUN,
    /**
     * A layer-2 device: whole Ethernet frames (with an 802.1Q tag where the sender added one), switched by their
     * destination MAC address.
     */
    TAP
}
