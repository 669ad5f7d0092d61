package dev.coderssh.core.testing;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.ExitCode;
import dev.coderssh.core.cli.Command;
import dev.coderssh.core.cli.Console;
import dev.coderssh.core.command.LoginCommand;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.login.Browser;
import java.util.List;

/** Runs a command the way {@code Main} does: a CoderSshException becomes its exit code and one line. */
public final class Cli {
    private Cli() {
    }

    public static int run(Command command, Console console, String... args) {
        try {
            return command.run(List.of(args), console);
        } catch (CoderSshException e) {
            console.err().println("coder-ssh: " + e.getMessage());
            return e.exitCode().code();
        } catch (Exception e) {
            throw new AssertionError("untyped exception escaped", e);
        }
    }

    /** {@code coder-ssh login <url> extra...} with {@code browser}, stdin not a terminal. */
    public static int login(TestHome home, DeploymentUrl url, Browser browser, String... extra) {
        String[] args = new String[extra.length + 1];
        args[0] = url.toString();
        System.arraycopy(extra, 0, args, 1, extra.length);
        return run(new LoginCommand("test", c -> browser, () -> false), home.console(), args);
    }

    public static int code(ExitCode c) {
        return c.code();
    }
}
