package dev.coderssh.core.home;

import dev.coderssh.core.deployment.DeploymentUrl;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The one root under which coder-ssh keeps all its state: {@code $CODER_SSH_HOME} if set, else the
 * platform's convention for per-user configuration under {@code $HOME}: as the Coder CLI, gh and
 * the launcher (bin/coder-ssh, install.sh) resolve it, so all of them find the same state (issue
 * 19). Only without {@code $HOME} does the account's home from the user database count.
 */
public record CoderSshHome(Path root) {

    public static CoderSshHome resolve(Map<String, String> env) {
        String explicit = env.get("CODER_SSH_HOME");
        if (explicit != null && !explicit.isEmpty()) {
            return new CoderSshHome(Path.of(explicit).toAbsolutePath());
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String home = env.get("HOME");
        if (home == null || home.isEmpty()) {
            home = System.getProperty("user.home");
        }
        if (os.contains("win")) {
            String appData = env.get("APPDATA");
            return new CoderSshHome(Path.of(appData != null ? appData : home, "coder-ssh"));
        }
        if (os.contains("mac")) {
            return new CoderSshHome(Path.of(home, "Library", "Application Support", "coder-ssh"));
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isEmpty()) {
            return new CoderSshHome(Path.of(xdg, "coder-ssh"));
        }
        return new CoderSshHome(Path.of(home, ".config", "coder-ssh"));
    }

    /** Credentials files, one per deployment. */
    public Path credentials() {
        return root.resolve("credentials");
    }

    /** One deployment's credentials file. */
    public Path credentialsFile(DeploymentUrl url) {
        return credentials().resolve(url.fileKey() + ".json");
    }

    /** Derived data that may be deleted at any time (class-data archives, the proxy's plan cache). */
    public Path cache() {
        return root.resolve("cache");
    }

    /**
     * The proxy's plan cache: plans the launcher can exec without a JVM. They hold copies of access
     * tokens, so the credentials store drops them whenever a sign-in changes.
     */
    public Path plans() {
        return cache().resolve("plans");
    }

    /** Rotated diagnostic logs (secrets redacted). */
    public Path logs() {
        return root.resolve("logs");
    }

    /** Downloaded Coder CLI binaries and their per-deployment global-config dirs. */
    public Path cli() {
        return root.resolve("cli");
    }

    /** Lock files (refresh, sign-in). */
    public Path locks() {
        return root.resolve("locks");
    }

    /**
     * One empty file per running CLI session, {@code <key id>.<pid>}: the launcher writes it just
     * before it execs the CLI (the CLI keeps its pid), so a refresh can see that a session still holds
     * the current key (see {@code SessionFiles}).
     */
    public Path sessions() {
        return root.resolve("sessions");
    }
}
