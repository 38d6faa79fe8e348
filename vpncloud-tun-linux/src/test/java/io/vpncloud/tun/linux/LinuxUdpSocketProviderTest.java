package io.vpncloud.tun.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.vpncloud.api.UdpSocketProvider;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class LinuxUdpSocketProviderTest {

    @Test
    void serviceLoaderFindsTheProvider() {
        // On the module path this module is the caller, and it does not declare `uses` (a node does): add it
        // for the test, so that the lookup goes through the `provides` of the module descriptor.
        getClass().getModule().addUses(UdpSocketProvider.class);
        List<UdpSocketProvider> providers = ServiceLoader.load(UdpSocketProvider.class).stream()
                .map(ServiceLoader.Provider::get).toList();

        assertEquals(1, providers.size());
        assertInstanceOf(LinuxUdpSocketProvider.class, providers.get(0));
        assertEquals("linux", providers.get(0).name());
    }

    @Test
    void availabilityMatchesThisMachine() {
        LinuxUdpSocketProvider provider = new LinuxUdpSocketProvider();
        boolean linux = System.getProperty("os.name").equals("Linux");

        assertEquals(linux, provider.isAvailable(), provider.unavailableReason());
        assertEquals(linux, provider.unavailableReason().isEmpty());
    }
}
