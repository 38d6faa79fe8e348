package io.vpncloud.tun.linux;

import io.vpncloud.api.DeviceType;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MTU a TUN or TAP device gets when none is configured: the MTU of the default-route device minus what
 * VpnCloud adds around each packet, and for TAP also minus the Ethernet header each frame carries.
 */
final class DefaultMtu {

    /** Outer IPv6 header (peers may be IPv6), UDP header, crypto header, AEAD tag, message type byte. */
    static final int TUN_OVERHEAD = 40 + 8 + 8 + 16 + 1;

    /** Used when there is no default route: a 1500-byte network. */
    static final int FALLBACK = 1500 - TUN_OVERHEAD;

    private static final Logger LOG = LoggerFactory.getLogger(DefaultMtu.class);

    private DefaultMtu() {
    }

    /** The default MTU for the given default-route device MTU, or {@link #FALLBACK} without one. */
    static int forDefaultRouteMtu(Optional<Integer> defaultRouteMtu) {
        return defaultRouteMtu.map(mtu -> mtu - TUN_OVERHEAD).orElse(FALLBACK);
    }

    /** The default MTU of a device of {@code type} for the given default-route device MTU. */
    static int forDefaultRouteMtu(Optional<Integer> defaultRouteMtu, DeviceType type) {
        return forDefaultRouteMtu(defaultRouteMtu) - (type == DeviceType.TAP ? EthernetHeader.LENGTH : 0);
    }

    /** The default MTU of a device of {@code type} on this machine. */
    static int lookUp(InterfaceControl control, DeviceType type) {
        return lookUp(control) - (type == DeviceType.TAP ? EthernetHeader.LENGTH : 0);
    }

    /** Looks up the default-route device and its MTU on this machine. */
    static int lookUp(InterfaceControl control) {
        Optional<String> device = DefaultRoute.interfaceName();
        if (device.isEmpty()) {
            LOG.debug("No default route; assuming a 1500-byte network");
            return FALLBACK;
        }
        try {
            return forDefaultRouteMtu(Optional.of(control.mtu(device.get())));
        } catch (TunDeviceException e) {
            LOG.warn("Cannot read the MTU of default-route device {} ({}); assuming a 1500-byte network",
                    device.get(), e.getMessage());
            return FALLBACK;
        }
    }
}
