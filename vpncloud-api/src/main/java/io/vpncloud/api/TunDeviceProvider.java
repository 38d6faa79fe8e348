package io.vpncloud.api;

import java.io.IOException;

/**
 * Creates TUN devices. Implementations are found through {@link java.util.ServiceLoader}, so putting a jar
 * with a provider (such as {@code vpncloud-tun-linux}) on the class path is enough.
 */
public interface TunDeviceProvider {

    /** A short name, such as {@code linux}. */
    String name();

    /**
     * Whether this provider can work here; when not, {@link #unavailableReason()} says why.
     */
    boolean isAvailable();

    /** Why the provider is not available (for example "not running on Linux"); empty when it is. */
    String unavailableReason();

    /**
     * Creates and configures a device.
     *
     * @throws IOException with a message that says what to do (for example missing CAP_NET_ADMIN)
     */
    TunDevice open(TunDeviceConfig config) throws IOException;
}
