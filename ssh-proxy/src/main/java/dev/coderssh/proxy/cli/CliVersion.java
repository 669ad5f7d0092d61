package dev.coderssh.proxy.cli;

import dev.coderssh.core.process.BoundedProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Runs {@code coder version --output json} and compares versions as the IDE plugins do. */
public final class CliVersion {
    private CliVersion() {
    }

    /** How long {@code coder version} may take, output included (SECURITY.md, "Bounds"). */
    static final long TIMEOUT_MILLIS = 20_000;

    /**
     * The binary's version, or null when it does not run, answers something unreadable or hangs, or
     * is not safe to run.
     */
    public static String of(Path binary) {
        return of(binary, TIMEOUT_MILLIS);
    }

    static String of(Path binary, long timeoutMillis) {
        if (CliLocator.refusal(binary) != null) {
            return null; // not run at all: it could be another user's (CliLocator.trusted)
        }
        try {
            ProcessBuilder pb = new ProcessBuilder(List.of(binary.toString(), "version", "--output", "json"));
            pb.redirectErrorStream(true);
            pb.redirectInput(ProcessBuilder.Redirect.PIPE);
            BoundedProcess.Output out = BoundedProcess.run(pb, timeoutMillis, 64 * 1024);
            return out != null && out.exitStatus() == 0 ? jsonVersion(new String(out.stdout(), StandardCharsets.UTF_8)) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The "version" string of a flat JSON object; a tiny scan rather than an object mapper. */
    static String jsonVersion(String json) {
        int key = json.indexOf("\"version\"");
        if (key < 0) {
            return null;
        }
        int colon = json.indexOf(':', key + 9);
        int open = colon < 0 ? -1 : json.indexOf('"', colon + 1);
        int close = open < 0 ? -1 : json.indexOf('"', open + 1);
        if (close < 0 || !json.substring(colon + 1, open).isBlank()) {
            return null;
        }
        return json.substring(open + 1, close);
    }

    /** Equal ignoring a leading "v" and "+build" metadata (semver 2.0.0 section 10). */
    public static boolean matches(String cli, String server) {
        return cli != null && server != null && core(cli).equals(core(server));
    }

    static String core(String v) {
        String s = v.strip();
        if (s.startsWith("v")) {
            s = s.substring(1);
        }
        int plus = s.indexOf('+');
        return plus < 0 ? s : s.substring(0, plus);
    }
}
