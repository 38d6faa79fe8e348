package io.vpncloud.api;

import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The module as built (target/classes): it exports its one package and needs nothing but the JDK. */
class ModuleDescriptorTest {
    private final ModuleDescriptor module = ModuleFinder.of(Path.of("target", "classes"))
            .find("io.vpncloud.api").orElseThrow().descriptor();

    @Test
    void exportsExactlyTheApiPackage() {
        assertEquals(Set.of("io.vpncloud.api"),
                module.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertTrue(module.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified));
    }

    @Test
    void needsOnlyTheJdkBase() {
        assertEquals(Set.of("java.base"),
                module.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));
    }
}
