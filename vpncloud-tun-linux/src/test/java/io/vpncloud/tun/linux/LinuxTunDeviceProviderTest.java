package io.vpncloud.tun.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vpncloud.api.TunDeviceProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class LinuxTunDeviceProviderTest {

    @Test
    void serviceLoaderFindsTheProvider() {
        // On the module path this module is the caller, and it does not declare `uses` (a node does): add it
        // for the test, so that the lookup goes through the `provides` of the module descriptor.
        getClass().getModule().addUses(TunDeviceProvider.class);
        List<TunDeviceProvider> providers = ServiceLoader.load(TunDeviceProvider.class).stream()
                .map(ServiceLoader.Provider::get).toList();

        assertEquals(1, providers.size());
        assertTrue(providers.get(0) instanceof LinuxTunDeviceProvider);
        assertEquals("linux", providers.get(0).name());
    }

    @Test
    void availabilityMatchesThisMachine() {
        LinuxTunDeviceProvider provider = new LinuxTunDeviceProvider();
        boolean linuxWithTun = System.getProperty("os.name").equals("Linux") && Files.exists(Path.of("/dev/net/tun"));

        assertEquals(linuxWithTun, provider.isAvailable(), provider.unavailableReason());
        assertEquals(linuxWithTun, provider.unavailableReason().isEmpty());
    }
}
