package dev.coderssh.core.cli;

import java.util.List;

/** One subcommand of {@code coder-ssh}. Failures are thrown as {@link dev.coderssh.core.CoderSshException}. */
public interface Command {
    /** Runs the command with the arguments after its name; returns the exit code. */
    int run(List<String> args, Console console) throws Exception;

    /**
     * The text {@code -h}, {@code --help} and {@code coder-ssh help CMD} print on stdout: usage, then
     * every option on a line of its own. Main prints it, so no command has to parse for it.
     */
    String help();
}
