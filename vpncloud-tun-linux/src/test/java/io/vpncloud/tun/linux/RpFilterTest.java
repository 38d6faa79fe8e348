package io.vpncloud.tun.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rp_filter logic against a copy of the /proc/sys/net/ipv4/conf layout in a temporary directory. */
class RpFilterTest {

    @TempDir
    Path conf;

    @Test
    void fixMakesLooseFilteringStrictEverywhere() throws IOException {
        write("all", "2");
        write("tun0", "2");

        new RpFilter(conf).fix("tun0");

        assertEquals("1", read("all"));
        assertEquals("1", read("tun0"));
        assertEquals(1, new RpFilter(conf).effective("tun0"));
    }

    @Test
    void fixLeavesAnUnfilteredAllAloneAndMakesTheInterfaceStrict() throws IOException {
        write("all", "0");
        write("tun0", "0");

        new RpFilter(conf).fix("tun0");

        assertEquals("0", read("all"));
        assertEquals("1", read("tun0"));
    }

    @Test
    void effectiveValueIsTheLargerOfAllAndTheInterface() throws IOException {
        write("all", "2");
        write("tun0", "1");
        assertEquals(2, new RpFilter(conf).effective("tun0"));

        write("all", "0");
        assertEquals(1, new RpFilter(conf).effective("tun0"));
    }

    @Test
    void garbageIsReportedNotGuessed() throws IOException {
        write("all", "strict");

        IOException error = assertThrows(IOException.class, () -> new RpFilter(conf).value("all"));
        assertEquals(true, error.getMessage().contains("'strict'"), error.getMessage());
    }

    private void write(String name, String value) throws IOException {
        Files.createDirectories(conf.resolve(name));
        Files.writeString(conf.resolve(name).resolve("rp_filter"), value + "\n");
    }

    private String read(String name) throws IOException {
        return Files.readString(conf.resolve(name).resolve("rp_filter")).trim();
    }
}
