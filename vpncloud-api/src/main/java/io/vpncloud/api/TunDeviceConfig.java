package io.vpncloud.api;

import java.util.Objects;
import java.util.Optional;

/**
 * What to create a TUN or TAP device with.
 *
 * @param name          interface name or pattern such as {@code vpncloud%d} (the kernel picks the number)
 * @param address       IPv4 address and prefix length to put on the interface, if any
 * @param mtu           the MTU, or 0 for the default (default-route device MTU minus 73, for TAP minus 87)
 * @param fixRpFilter   whether to relax the interface's reverse-path filter, as the reference's {@code --fix-rp-filter}
 * @param offload       whether to use TCP segmentation and receive offload where the device supports it (the kernel
 *                      then hands over and takes up to 64 KiB TCP segments; what goes on the wire is unchanged)
 * @param type          whether the device carries IP packets (TUN) or Ethernet frames (TAP)
 */
public record TunDeviceConfig(String name, Optional<IpRange> address, int mtu, boolean fixRpFilter,
                              boolean offload, DeviceType type) {

    /** The default name pattern of the reference. */
    public static final String DEFAULT_NAME = "vpncloud%d";

    /**
     * Checks the values.
     *
     * @param name the interface name or a pattern with {@code %d}
     * @param address the IPv4 address and prefix to configure, or empty
     * @param mtu the MTU, or 0 for the default
     * @param fixRpFilter whether to relax the reverse path filter for the device
     * @param offload whether to use TCP segmentation offload
     * @param type TUN or TAP
     * @throws IllegalArgumentException naming the bad value
     */
    public TunDeviceConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        if (type == null) {
            throw new IllegalArgumentException("device type must not be null");
        }
        if (name.isEmpty() || name.length() > 15) {
            throw new IllegalArgumentException("device name must have 1 to 15 characters: '" + name + "'");
        }
        if (mtu != 0 && (mtu < 576 || mtu > 65535)) {
            throw new IllegalArgumentException("mtu must be 0 (default) or 576..65535: " + mtu);
        }
    }

    /**
     * A TUN device config.
     *
     * @param name the interface name or a pattern with {@code %d}
     * @param address the IPv4 address and prefix to configure, or empty
     * @param mtu the MTU, or 0 for the default
     * @param fixRpFilter whether to relax the reverse path filter for the device
     * @param offload whether to use TCP segmentation offload
     */
    public TunDeviceConfig(String name, Optional<IpRange> address, int mtu, boolean fixRpFilter, boolean offload) {
        this(name, address, mtu, fixRpFilter, offload, DeviceType.TUN);
    }

    /**
     * A TUN device config with offload on.
     *
     * @param name the interface name or a pattern with {@code %d}
     * @param address the IPv4 address and prefix to configure, or empty
     * @param mtu the MTU, or 0 for the default
     * @param fixRpFilter whether to relax the reverse path filter for the device
     */
    public TunDeviceConfig(String name, Optional<IpRange> address, int mtu, boolean fixRpFilter) {
        this(name, address, mtu, fixRpFilter, true);
    }

    /**
     * This config with another device type.
     *
     * @param type TUN or TAP
     * @return the changed config
     */
    public TunDeviceConfig withType(DeviceType type) {
        return new TunDeviceConfig(name, address, mtu, fixRpFilter, offload, type);
    }

    /**
     * A TUN device config with the default name pattern, no address and the default MTU.
     *
     * @return the default config
     */
    public static TunDeviceConfig defaults() {
        return new TunDeviceConfig(DEFAULT_NAME, Optional.empty(), 0, false);
    }
}
