package dev.coderssh.core.cli;

import java.util.List;

/** One subcommand of {@code coder-ssh}. Failures are thrown as {@link dev.coderssh.core.CoderSshException}. */
public interface Command {
    /** Runs the command with the arguments after its name; returns the exit code. */
    int run(List<String> args, Console console) throws Exception;
}
