package dev.coderssh.proxy.cli;

import dev.coderssh.core.CoderSshException;
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
