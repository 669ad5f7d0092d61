package dev.coderssh.proxy.cli;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.store.PathCheck;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds the Coder CLI without touching the network: {@code --coder-binary}, else the cached
 * download. Only when neither exists does the caller fall back to {@link CliInstaller} and then to
 * {@code coder} on PATH ({@link #onPath}).
 */
public final class CliLocator {
    private CliLocator() {
    }

    /** The explicit binary, checked; or the cached one if present; or null. */
    public static Path fast(String explicit, CliPaths paths) {
        if (explicit != null) {
            Path p = Path.of(explicit);
            if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                throw CoderSshException.usage("--coder-binary " + explicit + " is not an executable file");
            }
            return p;
        }
        return Files.isRegularFile(paths.binary()) && Files.isExecutable(paths.binary()) ? paths.binary() : null;
    }

    /**
     * {@code cli}, once the file it resolves to and that file's directory are known to be safe to
     * execute: it runs with a token in its environment, so a binary (or a directory) another user
     * could replace is refused. Ours or root's, not writable by group or others, and so is every
     * directory above it up to the root: otherwise the path could lead elsewhere by the time it is
     * executed (issue 19). (The launcher's
     * plan cache goes further and never execs a symlink: a symlinked CLI costs it the fast path.)
     */
    public static Path trusted(Path cli) {
        String why = refusal(cli);
        if (why != null) {
            throw CoderSshException.failure("refusing to run the Coder CLI " + cli + ": " + why);
        }
        return cli;
    }

    /** Why {@code cli} must not be executed (see {@link #trusted}), or null when it may be. */
    static String refusal(Path cli) {
        Path real;
        try {
            real = cli.toRealPath();
        } catch (java.io.IOException e) {
            return "it does not exist";
        }
        String why = PathCheck.refusal(real, false, true);
        if (why != null) {
            return real.equals(cli.toAbsolutePath()) ? why : real + ": " + why;
        }
        return PathCheck.ancestorRefusal(real.getParent());
    }

    /** {@code coder} (or coder.exe) on PATH, or null. */
    public static Path onPath(Map<String, String> env) {
        String path = env.get("PATH");
        if (path == null) {
            return null;
        }
        String exe = CliPaths.windows() ? "coder.exe" : "coder";
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, exe);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
