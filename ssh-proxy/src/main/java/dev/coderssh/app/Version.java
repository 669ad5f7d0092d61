package dev.coderssh.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The version stamped into the jar's manifest by Maven, and the commit the build baked in. */
final class Version {
    /** Written by the ssh-proxy build from {@code git rev-parse}; "unknown" when built outside git. */
    static final String COMMIT_RESOURCE = "build-commit";

    private Version() {
    }

    static String current() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-dev";
    }

    /** What {@code --version} prints: version, commit and the Java runtime it runs on. */
    static String describe() {
        return "coder-ssh " + current() + "\n"
                + "commit " + commit() + "\n"
                + "runtime " + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.name")
                + ") at " + System.getProperty("java.home") + "\n";
    }

    static String commit() {
        try (InputStream in = Version.class.getResourceAsStream(COMMIT_RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            String text = new String(in.readNBytes(64), StandardCharsets.US_ASCII).strip();
            return text.matches("[0-9a-f]{7,40}") ? text : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }
}
