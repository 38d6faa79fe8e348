package io.vpncloud.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    void everyProblemOfAConfigFileIsOneLineOfItsOwn(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("net.yml"), "keepalive: soon\nmode: bridge\ncrypto: { password: x }\n");
        assertEquals(2, execute("--config", file.toString()));
        assertEquals(List.of("vpncloud: " + file + ":1: keepalive: not a duration: 'soon' (use seconds such as 300 "
                        + "or 0.5, or 500ms, 2s, 5m, 1h)",
                "vpncloud: " + file + ":2: mode: unknown mode 'bridge' (use normal, router, switch or hub)"),
                err.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void subcommandsHaveTheirOwnHelp() {
        for (List<String> args : List.of(List.of("help", "genkey"), List.of("genkey", "--help"),
                List.of("genkey", "-h"), List.of("help", "gen-key"))) {
            out.reset();
            assertEquals(0, execute(args.toArray(String[]::new)), args.toString());
            assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("vpncloud genkey - "), args.toString());
        }
        out.reset();
        assertEquals(0, execute("completion", "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("vpncloud completion - "));
        out.reset();
        assertEquals(0, execute("help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("vpncloud - "));
        assertEquals(2, execute("help", "bogus"));
        assertEquals("vpncloud: help: unknown subcommand 'bogus' (subcommands: genkey, completion, help)\n",
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void completionPrintsAScriptForEachShell() {
        assertEquals(0, execute("completion"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("complete -F _vpncloud vpncloud"), "bash by default");
        out.reset();
        assertEquals(0, execute("completion", "--shell", "zsh"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("#compdef vpncloud"));
        out.reset();
        assertEquals(0, execute("completion", "--shell=fish"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("complete -c vpncloud"));
        assertEquals(2, execute("completion", "--shell", "tcsh"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("vpncloud: --shell: unknown shell 'tcsh'"));
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
