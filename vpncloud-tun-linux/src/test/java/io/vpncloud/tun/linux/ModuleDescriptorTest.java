package io.vpncloud.tun.linux;

import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The module as built (target/classes): it exports nothing and provides both SPIs. */
class ModuleDescriptorTest {
    private final ModuleDescriptor module = ModuleFinder.of(Path.of("target", "classes"))
            .find("io.vpncloud.tun.linux").orElseThrow().descriptor();

    @Test
    void exportsNothingAndProvidesTheDeviceAndTheSocket() {
        assertTrue(module.exports().isEmpty(), module.exports().toString());
        assertEquals(Set.of("io.vpncloud.api.TunDeviceProvider:[io.vpncloud.tun.linux.LinuxTunDeviceProvider]",
                        "io.vpncloud.api.UdpSocketProvider:[io.vpncloud.tun.linux.LinuxUdpSocketProvider]"),
                module.provides().stream().map(p -> p.service() + ":" + p.providers()).collect(Collectors.toSet()));
    }

    @Test
    void opensItsPackageToJnaOnly() {
        assertEquals(1, module.opens().size());
        ModuleDescriptor.Opens opens = module.opens().iterator().next();
        assertEquals("io.vpncloud.tun.linux", opens.source());
        assertEquals(Set.of("com.sun.jna"), opens.targets());
        assertEquals(List.of(), module.requires().stream().map(ModuleDescriptor.Requires::name)
                .filter(name -> !Set.of("java.base", "io.vpncloud.api", "org.slf4j", "com.sun.jna").contains(name))
                .toList());
    }
}
