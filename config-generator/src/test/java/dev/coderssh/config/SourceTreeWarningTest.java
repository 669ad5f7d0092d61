package dev.coderssh.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.cli.Console;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config-ssh warns, after writing, when the launcher it writes is inside a source tree; a failure stays one line. */
class SourceTreeWarningTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Fixture f, Path launcher) throws Exception {
        Console console = new Console(new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), Clock.systemUTC());
        ConfigSshEnvironment base = f.environment();
        ConfigSshEnvironment env = new ConfigSshEnvironment(base.userHome(), false, base.ssh(), base.sleeper(), launcher);
        return new ConfigSshCommand(url -> f.api, env).run(List.of(Fixture.URL), console);
    }

    private Path launcherIn(Path root, boolean clone) throws Exception {
        Path launcher = Files.createDirectories(root.resolve("bin")).resolve("coder-ssh");
        Files.writeString(launcher, "");
        if (clone) {
            Files.writeString(root.resolve("pom.xml"), "<project/>");
        }
        return launcher;
    }

    @Test
    void aCloneIsWrittenAndWarnedAbout() throws Exception {
        Fixture f = new Fixture(dir.resolve("home"));
        Path launcher = launcherIn(dir.resolve("clone"), true);
        assertThat(run(f, launcher)).isZero();
        assertThat(f.read()).contains("ProxyCommand " + launcher + " proxy");
        assertThat(err.toString(StandardCharsets.UTF_8)).endsWith("\ncoder-ssh config-ssh: warning: the ProxyCommand names "
                + launcher + ", inside a source tree: moving or cleaning it breaks these hosts (install.sh installs a"
                + " stable coder-ssh)\n");
    }

    @Test
    void anInstallIsNotWarnedAboutAndAFailureStaysOneLine() throws Exception {
        Fixture f = new Fixture(dir.resolve("home"));
        assertThat(run(f, launcherIn(dir.resolve("prefix"), false))).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("warning");
        err.reset();

        f.api.failure = CoderSshException.authRequired("not logged in", Fixture.URL);
        assertThatThrownBy(() -> run(f, launcherIn(dir.resolve("clone"), true))).isInstanceOf(CoderSshException.class);
        assertThat(err.size()).as("no warning before the one-line error Main prints").isZero();
    }
}
