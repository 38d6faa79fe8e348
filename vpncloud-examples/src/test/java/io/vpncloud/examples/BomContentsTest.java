package io.vpncloud.examples;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * vpncloud-bom manages exactly this project's library modules (the reactor modules with a module descriptor), at
 * the project's version, and nothing else: no test or benchmark libraries reach a user who imports it.
 */
class BomContentsTest {

    private static final Path PROJECT = Path.of("").toAbsolutePath().getParent();

    @Test
    void managesExactlyTheLibraryModules() throws Exception {
        Element bom = read(PROJECT.resolve("vpncloud-bom/pom.xml"));
        assertFalse(bom.getElementsByTagName("parent").getLength() > 0, "a parent would leak its dependencyManagement");
        Set<String> managed = new HashSet<>();
        NodeList dependencies = bom.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            assertEquals("io.vpncloud", text(dependency, "groupId"));
            assertEquals("${project.version}", text(dependency, "version"));
            managed.add(text(dependency, "artifactId"));
        }

        Element parent = read(PROJECT.resolve("pom.xml"));
        Set<String> libraries = new HashSet<>();
        for (String module : modules(parent)) {
            if (Files.exists(PROJECT.resolve(module).resolve("src/main/java/module-info.java"))) {
                libraries.add(module);
            }
        }
        assertEquals(Set.of("vpncloud-api", "vpncloud-core", "vpncloud-tun-linux", "vpncloud-micrometer"), libraries);
        assertEquals(libraries, managed);
        assertEquals(text(parent, "version"), text(bom, "version"));
    }

    private static List<String> modules(Element pom) {
        List<String> modules = new ArrayList<>();
        NodeList list = pom.getElementsByTagName("module");
        for (int i = 0; i < list.getLength(); i++) {
            modules.add(list.item(i).getTextContent().strip());
        }
        return modules;
    }

    private static Element read(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
    }

    /** The text of the first child element named {@code name} directly under {@code element}. */
    private static String text(Element element, String name) {
        for (org.w3c.dom.Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().strip();
            }
        }
        throw new AssertionError("no <" + name + "> in <" + element.getTagName() + ">");
    }
}
