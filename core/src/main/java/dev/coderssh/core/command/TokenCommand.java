package dev.coderssh.core.command;

import dev.coderssh.core.CoreServices;
import dev.coderssh.core.ExitCode;
import dev.coderssh.core.cli.Args;
import dev.coderssh.core.cli.Command;
import dev.coderssh.core.cli.Console;
import dev.coderssh.core.cli.NetworkFlags;
import java.util.List;

/** {@code coder-ssh token <url>}: a fresh access token on stdout for scripts (refreshing if due). */
public final class TokenCommand implements Command {
    static final String HELP = String.join("\n",
            "Usage: coder-ssh token [<deployment-url>] [options]",
            "",
            "Prints a valid access token on stdout, refreshing it first when it is close to expiry.",
            "Treat the output as a password: do not log it or pass it in argv.",
            CommonOptions.CHOICE_HELP,
            CommonOptions.URL_HELP,
            NetworkFlags.HELP);
    private final String version;

    public TokenCommand(String version) {
        this.version = version;
    }

    @Override
    public int run(List<String> argv, Console console) {
        Args a = Args.parse(argv, CommonOptions.flags(), CommonOptions.options());
        CoreServices core = CommonOptions.services(a, console, version);
        console.out().println(core.tokens().fresh(CommonOptions.deployment(a, console, core, "token", true)).value());
        return ExitCode.OK.code();
    }

    @Override
    public String help() {
        return HELP;
    }
}
