package dev.coderssh.core.testing;

import dev.coderssh.core.CoreServices;
import dev.coderssh.core.cli.Console;
import dev.coderssh.core.http.HttpOptions;
import dev.coderssh.core.oauth.Sleeper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * A temporary CODER_SSH_HOME plus a console whose stdout/stderr are captured, for running
 * commands and core services in-process.
 */
public final class TestHome {
    public final Path root;
    public final ByteArrayOutputStream out = new ByteArrayOutputStream();
    public final ByteArrayOutputStream err = new ByteArrayOutputStream();
    public final Map<String, String> env = new HashMap<>();
    public Clock clock;
    public InputStream in = new ByteArrayInputStream(new byte[0]);

    public TestHome(Path tempDir, Clock clock) throws Exception {
        this.root = tempDir.resolve("home");
        Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        this.clock = clock;
        env.put("CODER_SSH_HOME", root.toString());
    }

    public Console console() {
        return new Console(in, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, clock);
    }

    /** Services that never really sleep between retries, so fault tests stay fast. */
    public CoreServices services() {
        return new CoreServices(console(), HttpOptions.defaults(), "test", NO_SLEEP);
    }

    public String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    public String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    public static final Sleeper NO_SLEEP = new Sleeper() {
        @Override
        public void sleep(java.time.Duration d) {
            // recorded by nobody: tests only care that retries happen
        }
    };
}
