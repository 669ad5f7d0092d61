package dev.coderssh.core;

/** The exit codes every subcommand shares; scripts and IDEs branch on them. */
public enum ExitCode {
    OK(0),
    FAILURE(1),
    USAGE(2),
    /** Not signed in, session expired or revoked: the fix is `coder-ssh login`. */
    AUTH_REQUIRED(3),
    NOT_FOUND(4);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
