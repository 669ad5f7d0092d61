package dev.coderssh.app;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.ExitCode;
import dev.coderssh.core.cli.Command;
import dev.coderssh.core.cli.Console;
import java.util.List;

/**
 * {@code coder-ssh completion bash|zsh|fish}: a completion script on stdout, for the shell to
 * source (install.sh puts one where each shell looks under its prefix). Commands and their
 * options only: completing deployment URLs or hosts would mean a JVM per TAB press.
 */
final class Completion implements Command {
    static final List<String> COMMANDS = List.of("login", "logout", "status", "token", "proxy", "config-ssh", "doctor",
            "completion");

    static final String HELP = String.join("\n",
            "Usage: coder-ssh completion bash|zsh|fish",
            "",
            "Prints a completion script for the shell on stdout, e.g. source <(coder-ssh completion bash).",
            "install.sh installs one where each shell looks.",
            "");

    @Override
    public String help() {
        return HELP;
    }

    @Override
    public int run(List<String> args, Console console) {
        if (args.size() != 1) {
            throw CoderSshException.usage("completion takes one shell: bash, zsh or fish");
        }
        String script = switch (args.get(0)) {
            case "bash" -> bash();
            case "zsh" -> "#compdef coder-ssh\nautoload -U bashcompinit && bashcompinit\n" + bash();
            case "fish" -> fish();
            default -> throw CoderSshException.usage("unknown shell \"" + args.get(0)
                    + "\" (bash, zsh or fish)");
        };
        console.out().print(script);
        return ExitCode.OK.code();
    }

    static String options(String command) {
        return switch (command) {
            case "login" -> "--url --scope --no-browser --timeout --with-token --token-stdin --client-id"
                    + " --client-secret-file --callback-port --redirect-uri --store" + NETWORK + " --allow-insecure-http";
            case "logout" -> "--url --forget-client" + NETWORK + " --allow-insecure-http";
            case "status" -> "--url --json --check" + NETWORK + " --allow-insecure-http";
            case "token" -> "--url --check" + NETWORK + " --allow-insecure-http";
            case "proxy" -> "--url --login --coder-binary --direct --host-prefix --ssh-host-prefix --hostname-suffix"
                    + " --disable-autostart --wait --log-dir --usage-app -v --verbose" + NETWORK;
            case "config-ssh" -> "--url --ssh-config-file --host-prefix --ssh-host-prefix --hostname-suffix -o --ssh-option"
                    + " --no-wildcard --no-workspaces --all-owners --use-previous-options --remove --dry-run --watch -y --yes"
                    + " --login --disable-autostart --wait --coder-binary" + NETWORK;
            case "doctor" -> "--url --coder-binary --host-prefix --ssh-config-file --workspace" + NETWORK;
            case "completion" -> "bash zsh fish";
            default -> "";
        };
    }

    /** The network flags' canonical names (their old aliases still parse, but are not offered). */
    private static final String NETWORK = " --header --header-command --tls-ca-file --tls-cert-file --tls-key-file";

    private static String bash() {
        StringBuilder cases = new StringBuilder();
        for (String c : COMMANDS) {
            cases.append("    ").append(c).append(") opts=\"").append(options(c)).append(" --help\" ;;\n");
        }
        return "# coder-ssh completion for bash (and zsh through bashcompinit)\n"
                + "_coder_ssh() {\n"
                + "  local cur=${COMP_WORDS[COMP_CWORD]} opts\n"
                + "  if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
                + "    COMPREPLY=($(compgen -W \"" + String.join(" ", COMMANDS) + " --help --version\" -- \"$cur\"))\n"
                + "    return\n"
                + "  fi\n"
                + "  case ${COMP_WORDS[1]} in\n"
                + cases
                + "    *) opts= ;;\n"
                + "  esac\n"
                + "  case $cur in\n"
                + "    -* | '') COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\")) ;;\n"
                + "    *) COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n"
                + "  esac\n"
                + "}\n"
                + "complete -o default -F _coder_ssh coder-ssh\n";
    }

    private static String fish() {
        StringBuilder sb = new StringBuilder("# coder-ssh completion for fish\n");
        sb.append("complete -c coder-ssh -f -n __fish_use_subcommand -a '").append(String.join(" ", COMMANDS))
                .append("'\n");
        sb.append("complete -c coder-ssh -n __fish_use_subcommand -l version -d 'version, commit and runtime'\n");
        for (String c : COMMANDS) {
            for (String o : options(c).split(" ")) {
                if (o.startsWith("--")) {
                    sb.append("complete -c coder-ssh -n '__fish_seen_subcommand_from ").append(c).append("' -l ")
                            .append(o.substring(2)).append('\n');
                } else if (o.startsWith("-") && !o.isEmpty()) {
                    sb.append("complete -c coder-ssh -n '__fish_seen_subcommand_from ").append(c).append("' -s ")
                            .append(o.substring(1)).append('\n');
                } else if (!o.isEmpty()) {
                    sb.append("complete -c coder-ssh -f -n '__fish_seen_subcommand_from ").append(c).append("' -a ")
                            .append(o).append('\n');
                }
            }
        }
        return sb.toString();
    }
}
