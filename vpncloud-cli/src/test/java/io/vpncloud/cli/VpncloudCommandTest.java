package io.vpncloud.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VpncloudCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int execute(String... args) {
        return VpncloudCommand.execute(List.of(args), Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void unknownOptionIsOneLineNamingItAndExitCode2() {
        assertEquals(2, execute("--password", "x", "--frobnicate"));
        assertEquals("vpncloud: unknown option '--frobnicate' (see vpncloud --help)\n",
                err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void invalidValueIsExitCode2() {
        assertEquals(2, execute("--password", "x", "--peer-timeout", "soon"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("vpncloud: --peer-timeout: "));
    }

    @Test
    void genkeyPrintsTheReferencesKeysForAPassword() {
        assertEquals(0, execute("genkey", "--password", "mysecret"));
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        // vectors/keys.txt, recorded from VpnCloud 2.3.0
        assertEquals("Private key: gl7NxDMlseGFwPinpMcAmi4zwJWFV9WqqfDld3Tz2Lg", lines.get(0));
        assertEquals("Public key: BKjSRllQbxo8m6ooLv7WvOphbbq8WJsYzt55OS4UQWd", lines.get(1));
    }

    @Test
    void helpAndVersionExitWithZero() {
        assertEquals(0, execute("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("vpncloud genkey"));
        out.reset();
        assertEquals(0, execute("--version"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("vpncloud-java "));
    }
}
