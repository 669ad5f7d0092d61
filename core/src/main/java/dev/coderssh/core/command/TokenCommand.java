package dev.coderssh.core.command;

import dev.coderssh.core.CoreServices;
import dev.coderssh.core.ExitCode;
import dev.coderssh.core.cli.Args;
import dev.coderssh.core.cli.Command;
import dev.coderssh.core.cli.Console;
import java.util.List;

/** {@code coder-ssh token <url>}: a fresh access token on stdout for scripts (refreshing if due). */
public final class TokenCommand implements Command {
    static final String HELP = String.join("\n",
            "Usage: coder-ssh token <deployment-url>",
            "",
            "Prints a valid access token on stdout, refreshing it first when it is close to expiry.",
            "Treat the output as a password: do not log it or pass it in argv.",
            CommonOptions.HELP);
    private final String version;

    public TokenCommand(String version) {
        this.version = version;
    }

    @Override
    public int run(List<String> argv, Console console) {
        Args a = Args.parse(argv, CommonOptions.flags(), CommonOptions.options());
        if (a.flag("--help")) {
            console.err().print(HELP);
            return ExitCode.OK.code();
        }
        String url = a.positionals(1, 1, "usage: coder-ssh token <deployment-url> (see --help)").get(0);
        CoreServices core = CommonOptions.services(a, console, version);
        console.out().println(core.tokens().fresh(CommonOptions.url(url, a)).value());
        return ExitCode.OK.code();
    }
}
