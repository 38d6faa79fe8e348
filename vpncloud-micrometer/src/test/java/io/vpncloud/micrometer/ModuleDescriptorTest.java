package io.vpncloud.micrometer;

import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The module as built (target/classes): its one package, and what a user of the binder gets with it. */
class ModuleDescriptorTest {
    private final ModuleDescriptor module = ModuleFinder.of(Path.of("target", "classes"))
            .find("io.vpncloud.micrometer").orElseThrow().descriptor();

    @Test
    void exportsTheBinderPackageAndPassesTheNodeAndMicrometerOn() {
        assertEquals(Set.of("io.vpncloud.micrometer"),
                module.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertEquals(Set.of("io.vpncloud.core", "micrometer.core"), module.requires().stream()
                .filter(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE))
                .map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));
    }
}
