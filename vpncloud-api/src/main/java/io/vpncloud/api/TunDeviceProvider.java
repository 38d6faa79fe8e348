package io.vpncloud.api;

import java.io.IOException;

/**
 * Creates TUN devices. Implementations are found through {@link java.util.ServiceLoader}, so putting a jar
 * with a provider (such as {@code vpncloud-tun-linux}) on the class path is enough.
 */
public interface TunDeviceProvider {

    /**
     * A short name, such as {@code linux}.
     *
     * @return the provider's name
     */
    String name();

    /**
     * Whether this provider can work here; when not, {@link #unavailableReason()} says why.
     *
     * @return true when it can open devices here
     */
    boolean isAvailable();

    /**
     * Why the provider is not available (for example "not running on Linux"); empty when it is.
     *
     * @return the reason, or an empty string
     */
    String unavailableReason();

    /**
     * Creates and configures a device.
     *
     * @param config name, address, MTU and options
     * @throws IOException with a message that says what to do (for example missing CAP_NET_ADMIN)
     * @return the open device
     */
    TunDevice open(TunDeviceConfig config) throws IOException;
}
