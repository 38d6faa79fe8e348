package io.vpncloud.tun.linux;

import io.vpncloud.api.TunDeviceConfig;

/** Run in a child JVM by {@link PermissionDeniedTest}: opens a device and prints what happened. */
public final class OpenTunMain {

    private OpenTunMain() {
    }

    public static void main(String[] args) {
        try (LinuxTunDevice device = LinuxTunDevice.open(TunDeviceConfig.defaults())) {
            System.out.println("OPENED " + device.name());
        } catch (TunDeviceException e) {
            System.out.println(e.reason() + " " + e.getMessage());
        }
    }
}
