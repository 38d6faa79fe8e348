package io.vpncloud.tun.linux;

import io.vpncloud.api.TunDevice;
import io.vpncloud.api.TunDeviceConfig;
import io.vpncloud.api.TunDeviceProvider;

/** Provides {@link LinuxTunDevice}s; registered for {@link java.util.ServiceLoader}. */
public final class LinuxTunDeviceProvider implements TunDeviceProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public LinuxTunDeviceProvider() {
    }

    @Override
    public String name() {
        return "linux";
    }

    /** Whether this is 64-bit Linux with {@code /dev/net/tun} and a working JNA; privileges are checked on open. */
    @Override
    public boolean isAvailable() {
        return unavailableReason().isEmpty();
    }

    @Override
    public String unavailableReason() {
        return LinuxTunSupport.unavailableReason();
    }

    @Override
    public TunDevice open(TunDeviceConfig config) throws TunDeviceException {
        return LinuxTunDevice.open(config);
    }
}
