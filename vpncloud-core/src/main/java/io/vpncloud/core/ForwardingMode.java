package io.vpncloud.core;

import io.vpncloud.api.DeviceType;

/**
 * How a node forwards what its device hands it, as the reference's {@code --mode}. Two switches follow from the
 * mode and the device type: <em>learning</em> (remember which peer a source address was seen behind, and send
 * there what is addressed to it) and <em>broadcast</em> (send what no peer is known for to every connected peer,
 * instead of dropping it).
 */
public enum ForwardingMode {
    /** A switch with a TAP device, a router with a TUN device (the default). */
    NORMAL,
    /** Only claims decide where a packet goes; what nobody claims is dropped. */
    ROUTER,
    /** Learning and broadcast. */
    SWITCH,
    /** Broadcast only: what no claim places goes to every peer. */
    HUB;

    /**
     * Whether source addresses are learned.
     *
     * @param type the device type
     * @return true for {@link #SWITCH}, and for {@link #NORMAL} with a TAP device
     */
    public boolean learning(DeviceType type) {
        return this == SWITCH || (this == NORMAL && type == DeviceType.TAP);
    }

    /**
     * Whether what no peer is known for goes to every peer.
     *
     * @param type the device type
     * @return true for {@link #SWITCH} and {@link #HUB}, and for {@link #NORMAL} with a TAP device
     */
    public boolean broadcast(DeviceType type) {
        return this == SWITCH || this == HUB || (this == NORMAL && type == DeviceType.TAP);
    }
}
