package io.vpncloud.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The completion scripts: the bash one run by bash as its completion would, all of them checked for every option. */
class CompletionScriptTest {

    private static final List<CommandLineOptions.OptionName> OPTIONS = CommandLineOptions.optionNames();

    /** What bash's completion offers for the words typed so far, the last of which is being completed. */
    private static List<String> bashCompletes(Path dir, String... words) throws IOException, InterruptedException {
        Path script = Files.writeString(dir.resolve("vpncloud.bash"), CompletionScript.forShell("bash", OPTIONS));
        StringBuilder array = new StringBuilder();
        for (String word : words) {
            array.append(" '").append(word).append('\'');
        }
        String program = "source '" + script + "'; COMP_WORDS=(" + array + "); COMP_CWORD=" + (words.length - 1)
                + "; _vpncloud; printf '%s\\n' \"${COMPREPLY[@]}\"";
        Process bash = new ProcessBuilder("bash", "--norc", "-c", program).redirectErrorStream(true).start();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(bash.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, bash.exitValue(), output);
        return output.lines().filter(line -> !line.isEmpty()).sorted().toList();
    }

    @Test
    void bashCompletesOptionsSubcommandsAndValues(@TempDir Path dir) throws Exception {
        assertEquals(List.of("--peer", "--peer-timeout"), bashCompletes(dir, "vpncloud", "--pee"));
        assertEquals(List.of("hub", "normal", "router", "switch"),
                bashCompletes(dir, "vpncloud", "-p", "x", "--mode", ""));
        assertEquals(List.of("tap", "tun"), bashCompletes(dir, "vpncloud", "-t", ""));
        assertEquals(List.of("aes128", "aes256"), bashCompletes(dir, "vpncloud", "--algorithm", "aes"));
        assertEquals(List.of("--password"), bashCompletes(dir, "vpncloud", "genkey", "--pa"));
        assertEquals(List.of("fish"), bashCompletes(dir, "vpncloud", "completion", "--shell", "f"));
        assertEquals(List.of("completion", "genkey"), bashCompletes(dir, "vpncloud", "help", "")
                .stream().filter(w -> !w.equals("help")).toList());
        assertEquals(List.of("root"), bashCompletes(dir, "vpncloud", "--user", "roo"));
        Files.writeString(dir.resolve("mynet.net"), "listen: 3210\n");
        assertEquals(List.of(dir.resolve("mynet.net").toString()),
                bashCompletes(dir, "vpncloud", "--config", dir.resolve("myn").toString()));
        assertEquals(List.of(), bashCompletes(dir, "vpncloud", "--peer-timeout", ""), "a value to type");
        List<String> all = bashCompletes(dir, "vpncloud", "");
        for (CommandLineOptions.OptionName option : OPTIONS) {
            assertTrue(all.contains(option.name()), option.name() + " in " + all);
        }
        assertTrue(all.containsAll(CommandLineOptions.SUBCOMMANDS), all.toString());
    }

    @Test
    void zshAndFishScriptsNameEveryOption() {
        String zsh = CompletionScript.forShell("zsh", OPTIONS);
        String fish = CompletionScript.forShell("fish", OPTIONS);
        assertTrue(zsh.startsWith("#compdef vpncloud\n"), zsh);
        for (CommandLineOptions.OptionName option : OPTIONS) {
            String zshSpec = "'*" + option.name() + (option.takesValue() ? ":value:" : "'");
            assertTrue(zsh.contains(zshSpec), zshSpec + " in\n" + zsh);
            String fishName = option.name().startsWith("--") ? " -l " + option.name().substring(2)
                    : " -s " + option.name().substring(1);
            assertTrue(fish.lines().anyMatch(line -> line.contains(fishName + (option.takesValue() ? " -r" : ""))),
                    fishName + " in\n" + fish);
        }
        assertTrue(zsh.contains("'*--config:value:_files'"), zsh);
        assertTrue(fish.contains(" -l mode -r -f -a 'normal router switch hub'"), fish);
    }
}
