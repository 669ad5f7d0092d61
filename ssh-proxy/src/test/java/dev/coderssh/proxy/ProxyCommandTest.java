package dev.coderssh.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coderssh.app.Main;
import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.ExitCode;
import dev.coderssh.core.cli.Console;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxyCommandTest {
    static final String TOKEN = "Abcdefghij-0123456789abcdefghijkl";
    @TempDir
    Path dir;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Console console(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(extra);
        env.put("CODER_SSH_HOME", dir.resolve("home").toString());
        env.put("PATH", "/usr/bin:/bin");
        return new Console(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true), new PrintStream(err, true),
                env, Clock.systemUTC());
    }

    /** The descriptor number this JVM gave an open file, found through /proc (Linux). */
    static String fdOf(Path file) throws Exception {
        File[] fds = new File("/proc/self/fd").listFiles();
        for (File fd : fds) {
            try {
                if (Files.readSymbolicLink(fd.toPath()).equals(file)) {
                    return fd.getName();
                }
            } catch (java.io.IOException e) {
                // closed meanwhile
            }
        }
        throw new AssertionError("no fd for " + file);
    }

    @Test
    void fastPathWritesThePlanToTheLaunchersDescriptorAndNothingToStdout() throws Exception {
        Path plan = dir.resolve("plan");
        try (FileOutputStream keepOpen = new FileOutputStream(plan.toFile())) {
            int rc = new ProxyCommand(new FakeCore(TOKEN)).run(List.of("--url", "https://Coder.Example.com/",
                    "--coder-binary", "/bin/true", "--disable-autostart", "--wait", "no", "--usage-app", "vscode",
                    "--header", "X-A=b", "--header-command", "printf X-B=c", "--tls-ca-file", "/etc/ca.pem",
                    "coder.bob--ws--dev"), console(Map.of("CODER_SSH_PLAN_FD", fdOf(plan.toRealPath()))));
            assertThat(rc).isZero();
        }
        Plan.ExecCli p = PlanCodec.decode(Files.readString(plan));
        String config = dir.resolve("home/cli/https_coder.example.com_443/config").toString();
        assertThat(p.argv()).containsExactly("/bin/true", "--url", "https://coder.example.com", "--global-config",
                config, "--header", "X-A=b", "--header-command", "printf X-B=c", "ssh", "--stdio",
                "--disable-autostart", "--wait", "no", "--usage-app", "vscode", "bob/ws.dev");
        assertThat(p.env()).containsEntry("CODER_SESSION_TOKEN", TOKEN)
                .containsEntry("CODER_URL", "https://coder.example.com").containsEntry("SSL_CERT_FILE", "/etc/ca.pem");
        assertThat(String.join(" ", p.argv())).doesNotContain(TOKEN);
        assertThat(Path.of(config)).isDirectory();
        assertThat(out.size()).isZero();
        assertThat(Files.readString(dir.resolve("home/logs/proxy.log"))).contains("bob/ws.dev").doesNotContain(TOKEN);
    }

    @Test
    void withoutAPlanDescriptorTheJvmRunsTheCliAndReturnsItsStatus() throws Exception {
        Path cli = dir.resolve("cli");
        Files.writeString(cli, "#!/bin/sh\n[ \"$CODER_SESSION_TOKEN\" = " + TOKEN + " ] || exit 9\nexit 42\n");
        assertThat(cli.toFile().setExecutable(true)).isTrue();
        int rc = new ProxyCommand(new FakeCore(TOKEN)).run(List.of("--url", "https://coder.example.com",
                "--coder-binary", cli.toString(), "coder.ws"), console(Map.of()));
        assertThat(rc).isEqualTo(42);
    }

    @Test
    void notSignedInFailsAtOnceWithExit3OneLineAndZeroBytesOnStdout() {
        int rc = Main.run(List.of("proxy", "--url", "https://coder.example.com", "--coder-binary", "/bin/true",
                "coder.ws"), console(Map.of()));
        assertThat(rc).isEqualTo(ExitCode.AUTH_REQUIRED.code());
        assertThat(out.size()).isZero();
        String e = err.toString(StandardCharsets.UTF_8);
        assertThat(e).isEqualTo("coder-ssh proxy: not logged in to https://coder.example.com: "
                + "run `coder-ssh login https://coder.example.com`\n");
    }

    @Test
    void withoutUrlTheOnlySignedInDeploymentIsUsedAndSeveralAreAUsageError() throws Exception {
        FakeCore core = new FakeCore(TOKEN);
        assertThatThrownBy(() -> new ProxyCommand(core).run(List.of("--coder-binary", "/bin/true", "coder.ws"),
                console(Map.of()))).isInstanceOfSatisfying(CoderSshException.class,
                        e -> assertThat(e.getMessage()).contains("coder-ssh login"));
        core.signedIn.add(dev.coderssh.core.deployment.DeploymentUrl.parse("https://a.example.com"));
        core.signedIn.add(dev.coderssh.core.deployment.DeploymentUrl.parse("https://b.example.com"));
        assertThatThrownBy(() -> new ProxyCommand(core).run(List.of("--coder-binary", "/bin/true", "coder.ws"),
                console(Map.of()))).hasMessageContaining("--url");
    }

    @Test
    void aTokenWithALineBreakIsNeverHandedOver() {
        Path plan = dir.resolve("plan");
        assertThatThrownBy(() -> {
            try (FileOutputStream keepOpen = new FileOutputStream(plan.toFile())) {
                new ProxyCommand(new FakeCore("Abcdefghij-01234\nProxyCommand=evil")).run(List.of("--url",
                        "https://coder.example.com", "--coder-binary", "/bin/true", "coder.ws"),
                        console(Map.of("CODER_SSH_PLAN_FD", fdOf(plan.toRealPath()))));
            }
        }).isInstanceOf(CoderSshException.class).hasMessageNotContaining("evil");
        assertThat(plan.toFile().length()).isZero();
    }

    @Test
    void aMissingCoderBinaryIsAUsageError() {
        assertThatThrownBy(() -> new ProxyCommand(new FakeCore(TOKEN)).run(List.of("--url", "https://coder.example.com",
                "--coder-binary", dir.resolve("nope").toString(), "coder.ws"), console(Map.of())))
                .isInstanceOfSatisfying(CoderSshException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE));
    }
}
