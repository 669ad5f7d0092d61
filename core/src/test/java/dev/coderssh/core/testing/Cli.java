package dev.coderssh.core.testing;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.ExitCode;
import dev.coderssh.core.cli.Command;
import dev.coderssh.core.cli.Console;
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

    public static int code(ExitCode c) {
        return c.code();
    }
}
