package io.vpncloud.tun.linux;

import io.vpncloud.api.DeviceType;
import io.vpncloud.api.TunDeviceConfig;

/**
 * Run in a child JVM by {@link PermissionDeniedTest}: opens a device of the type the argument names (TUN when
 * none) and prints what happened.
 */
public final class OpenTunMain {

    private OpenTunMain() {
    }

    public static void main(String[] args) {
        DeviceType type = args.length > 0 ? DeviceType.valueOf(args[0]) : DeviceType.TUN;
        try (LinuxTunDevice device = LinuxTunDevice.open(TunDeviceConfig.defaults().withType(type))) {
            System.out.println("OPENED " + device.name());
        } catch (TunDeviceException e) {
            System.out.println(e.reason() + " " + e.getMessage());
        }
    }
}
