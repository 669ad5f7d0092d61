package dev.coderssh.core.command;

import dev.coderssh.core.CoreServices;
import dev.coderssh.core.ExitCode;
import dev.coderssh.core.cli.Args;
import dev.coderssh.core.cli.Command;
import dev.coderssh.core.cli.Console;
import dev.coderssh.core.cli.NetworkFlags;
import dev.coderssh.core.deployment.DeploymentUrl;
import java.util.List;

/** {@code coder-ssh token <url>}: a fresh access token on stdout for scripts (refreshing if due). */
public final class TokenCommand implements Command {
    static final String HELP = String.join("\n",
            "Usage: coder-ssh token [<deployment-url>] [options]",
            "",
            "Prints a valid access token on stdout, refreshing it first when it is close to expiry.",
            "Treat the output as a password: do not log it or pass it in argv.",
            "Without --check no request is made while the stored token is fresh: a token the server revoked",
            "is printed (exit 0) until a command that asks the server (status --check, token --check, a",
            "connection) has seen the revocation; from then on the exit code is 3.",
            CommonOptions.CHOICE_HELP,
            CommonOptions.URL_HELP,
            "  --check                 ask the server first (within 5 s): exit 3 when it no longer accepts the",
            "                          sign-in (after one refresh), 1 when it cannot be asked; nothing printed",
            NetworkFlags.HELP);
    private final String version;

    public TokenCommand(String version) {
        this.version = version;
    }

    @Override
    public int run(List<String> argv, Console console) {
        Args a = Args.parse(argv, CommonOptions.flags("--check"), CommonOptions.options());
        CoreServices core = CommonOptions.services(a, console, version);
        DeploymentUrl url = CommonOptions.deployment(a, console, core, "token", true);
        if (a.flag("--check")) {
            new StatusCheck(console, NetworkFlags.http(a, console), version).check(url);
        }
        // After a check, what it left in the store: the token it was accepted with, or its refresh.
        console.out().println(core.tokens().fresh(url).value());
        return ExitCode.OK.code();
    }

    @Override
    public String help() {
        return HELP;
    }
}
