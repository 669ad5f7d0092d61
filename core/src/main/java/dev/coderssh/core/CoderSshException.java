package dev.coderssh.core;

/**
 * A failure the user can act on: a one-line message (never a secret) and the exit code it maps to.
 * {@code dev.coderssh.app.Main} is the one place that turns these into exit codes.
 */
public class CoderSshException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ExitCode exitCode;

    public CoderSshException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CoderSshException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    public static CoderSshException usage(String message) {
        return new CoderSshException(ExitCode.USAGE, message);
    }

    public static CoderSshException failure(String message) {
        return new CoderSshException(ExitCode.FAILURE, message);
    }

    public static CoderSshException notFound(String message) {
        return new CoderSshException(ExitCode.NOT_FOUND, message);
    }

    /** The message every command prints when a sign-in is missing, expired or revoked. */
    public static CoderSshException authRequired(String reason, String deploymentUrl) {
        return new CoderSshException(ExitCode.AUTH_REQUIRED,
                reason + ": run `coder-ssh login " + deploymentUrl + "`");
    }
}
