package io.vpncloud.cli;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code vpncloud completion --shell SHELL}: a completion script for bash, zsh or fish, made from the command's own
 * list of options, so that it never misses one. Option values are completed where they come from a fixed set (device
 * type, mode, algorithms, shells), are files, users or groups.
 */
final class CompletionScript {

    /** The shells there are scripts for. */
    static final List<String> SHELLS = List.of("bash", "zsh", "fish");

    private static final Set<String> FILE_OPTIONS = Set.of("--config", "--pid-file", "--stats-file", "--log-file",
            "--beacon-store", "--beacon-load", "--device-path");
    private static final Map<String, String> CHOICES = Map.of(
            "--type", "tun tap", "-t", "tun tap",
            "--mode", "normal router switch hub", "-m", "normal router switch hub",
            "--algorithm", "plain aes128 aes256 chacha20", "--algo", "plain aes128 aes256 chacha20");
    private static final String SUBCOMMANDS = String.join(" ", CommandLineOptions.SUBCOMMANDS);
    private static final String GENKEY_OPTIONS = "--password -p --help -h";
    private static final String COMPLETION_OPTIONS = "--shell -s --help -h";

    private CompletionScript() {
    }

    /** The script for {@code shell}, one of {@link #SHELLS}. */
    static String forShell(String shell, List<CommandLineOptions.OptionName> options) {
        return switch (shell) {
            case "bash" -> bash(options);
            case "zsh" -> zsh(options);
            case "fish" -> fish(options);
            default -> throw new IllegalArgumentException("no completion for shell " + shell);
        };
    }

    private static String namesTakingValues(List<CommandLineOptions.OptionName> options, boolean takesValue) {
        return options.stream().filter(o -> o.takesValue() == takesValue).map(CommandLineOptions.OptionName::name)
                .collect(Collectors.joining(" "));
    }

    private static String bash(List<CommandLineOptions.OptionName> options) {
        StringBuilder cases = new StringBuilder();
        cases.append("        ").append(String.join("|", FILE_OPTIONS.stream().sorted().toList()))
                .append(")\n            COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n");
        CHOICES.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(choice -> cases.append("        ")
                .append(choice.getKey()).append(")\n            COMPREPLY=($(compgen -W \"").append(choice.getValue())
                .append("\" -- \"$cur\")); return ;;\n"));
        cases.append("        --user)\n            COMPREPLY=($(compgen -u -- \"$cur\")); return ;;\n");
        cases.append("        --group)\n            COMPREPLY=($(compgen -g -- \"$cur\")); return ;;\n");
        cases.append("        --shell|-s)\n            COMPREPLY=($(compgen -W \"").append(String.join(" ", SHELLS))
                .append("\" -- \"$cur\")); return ;;\n");
        return """
                # bash completion for vpncloud (vpncloud completion --shell bash)
                _vpncloud() {
                    local cur prev words
                    cur="${COMP_WORDS[COMP_CWORD]}"
                    prev="${COMP_WORDS[COMP_CWORD-1]}"
                    case "$prev" in
                %s        %s)
                            return ;;  # a value to type
                    esac
                    case "${COMP_WORDS[1]}" in
                        genkey|gen-key) words="%s" ;;
                        completion) words="%s" ;;
                        help) words="%s" ;;
                        *) words="%s %s" ;;
                    esac
                    COMPREPLY=($(compgen -W "$words" -- "$cur"))
                }
                complete -F _vpncloud vpncloud
                """.formatted(cases, namesTakingValues(options, true).replace(' ', '|'), GENKEY_OPTIONS,
                COMPLETION_OPTIONS, SUBCOMMANDS, namesTakingValues(options, true) + " "
                        + namesTakingValues(options, false), SUBCOMMANDS);
    }

    private static String zsh(List<CommandLineOptions.OptionName> options) {
        StringBuilder specs = new StringBuilder();
        for (CommandLineOptions.OptionName option : options) {
            specs.append("    '*").append(option.name());
            if (option.takesValue()) {
                specs.append(":value:").append(zshAction(option.name()));
            }
            specs.append("' \\\n");
        }
        return """
                #compdef vpncloud
                # zsh completion for vpncloud (vpncloud completion --shell zsh)
                case "$words[2]" in
                  genkey|gen-key)
                    _arguments '*'{-p,--password}':password: ' '*'{-h,--help}; return ;;
                  completion)
                    _arguments '*'{-s,--shell}':shell:(%s)' '*'{-h,--help}; return ;;
                  help)
                    _arguments '2:subcommand:(%s)'; return ;;
                esac
                _arguments \\
                %s    '1::subcommand:(%s)'
                """.formatted(String.join(" ", SHELLS), SUBCOMMANDS, specs, SUBCOMMANDS);
    }

    private static String zshAction(String option) {
        if (FILE_OPTIONS.contains(option)) {
            return "_files";
        }
        if (CHOICES.containsKey(option)) {
            return "(" + CHOICES.get(option) + ")";
        }
        return switch (option) {
            case "--user" -> "_users";
            case "--group" -> "_groups";
            default -> " ";
        };
    }

    private static String fish(List<CommandLineOptions.OptionName> options) {
        StringBuilder out = new StringBuilder("# fish completion for vpncloud (vpncloud completion --shell fish)\n");
        String notSubcommand = "not __fish_seen_subcommand_from " + SUBCOMMANDS + " gen-key";
        out.append("complete -c vpncloud -n '__fish_use_subcommand' -f -a '").append(SUBCOMMANDS).append("'\n");
        for (CommandLineOptions.OptionName option : options) {
            out.append("complete -c vpncloud -n '").append(notSubcommand).append("' ").append(fishName(option.name()));
            if (option.takesValue()) {
                out.append(" -r").append(fishValues(option.name()));
            }
            out.append('\n');
        }
        out.append("complete -c vpncloud -n '__fish_seen_subcommand_from genkey gen-key' -s p -l password -r\n");
        out.append("complete -c vpncloud -n '__fish_seen_subcommand_from completion' -s s -l shell -r -f -a '")
                .append(String.join(" ", SHELLS)).append("'\n");
        out.append("complete -c vpncloud -n '__fish_seen_subcommand_from help' -f -a '").append(SUBCOMMANDS)
                .append("'\n");
        return out.toString();
    }

    private static String fishName(String option) {
        return option.startsWith("--") ? "-l " + option.substring(2) : "-s " + option.substring(1);
    }

    private static String fishValues(String option) {
        if (FILE_OPTIONS.contains(option)) {
            return " -F";
        }
        if (CHOICES.containsKey(option)) {
            return " -f -a '" + CHOICES.get(option) + "'";
        }
        return switch (option) {
            case "--user" -> " -f -a '(__fish_complete_users)'";
            case "--group" -> " -f -a '(__fish_complete_groups)'";
            default -> " -f";
        };
    }
}
