package io.vpncloud.core;

import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The module as built (target/classes): what it exports, needs and looks up. */
class ModuleDescriptorTest {
    private final ModuleDescriptor module = ModuleFinder.of(Path.of("target", "classes"))
            .find("io.vpncloud.core").orElseThrow().descriptor();

    @Test
    void exportsOnlyTheNodePackage() {
        assertEquals(Set.of("io.vpncloud.core"),
                module.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertTrue(module.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified));
        assertTrue(module.opens().isEmpty(), module.opens().toString());
        // The internal packages are part of the module, just not exported.
        assertTrue(module.packages().containsAll(Set.of("io.vpncloud.core.wire", "io.vpncloud.core.crypto",
                "io.vpncloud.core.peer", "io.vpncloud.core.route", "io.vpncloud.core.net")), module.packages().toString());
    }

    @Test
    void passesTheApiOnAndLooksUpBothProviders() {
        assertTrue(module.requires().stream().anyMatch(r -> r.name().equals("io.vpncloud.api")
                && r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE)));
        assertEquals(Set.of("io.vpncloud.api.TunDeviceProvider", "io.vpncloud.api.UdpSocketProvider"), module.uses());
    }
}
