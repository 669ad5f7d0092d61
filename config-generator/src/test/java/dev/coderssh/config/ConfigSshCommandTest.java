package dev.coderssh.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.ExitCode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: options, layout, priorities, errors and --watch. */
class ConfigSshCommandTest {
    @TempDir
    Path home;

    private Fixture fixture() {
        Fixture f = new Fixture(home);
        f.api.with(FakeCoderApi.ws("dev"), FakeCoderApi.ws("multi", "main", "gpu"),
                FakeCoderApi.owned("bob", "shared"));
        return f;
    }

    private static ExitCode exitOf(Fixture f, String... args) {
        try {
            return ExitCode.values()[f.run(args)];
        } catch (CoderSshException e) {
            return e.exitCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void writesTheDocumentedBlock() throws Exception {
        Fixture f = fixture();
        assertThat(f.run(Fixture.URL)).isZero();
        assertThat(f.read()).isEqualTo(String.join("\n",
                "# --- START CODER-SSH coder.example.com ---",
                "# Managed by coder-ssh for https://coder.example.com: edits inside this block are replaced.",
                "# Refresh: coder-ssh config-ssh https://coder.example.com --use-previous-options",
                "# Generated with:",
                "# :host-prefix=coder.",
                "# :wildcard=true",
                "# :workspaces=true",
                "# :all-owners=false",
                "Host coder.dev coder.multi coder.multi.gpu coder.multi.main",
                "Host coder.*",
                "  ProxyCommand /opt/coder-ssh/bin/coder-ssh proxy --url https://coder.example.com %h",
                "  ConnectTimeout 0",
                "  StrictHostKeyChecking no",
                "  UserKnownHostsFile /dev/null",
                "  LogLevel ERROR",
                "  ServerAliveInterval 10",
                "  ServerAliveCountMax 3",
                "  SetEnv CODER_SSH_SESSION_TYPE=coder-ssh",
                "# --- END CODER-SSH coder.example.com ---",
                ""));
        assertThat(f.api.queries).containsExactly("owner:me");
    }

    @Test
    void userOptionsBeatDeploymentOptionsWhichBeatDefaultsAndEmptyRemoves() throws Exception {
        Fixture f = fixture();
        f.api.sshOptions = Map.of("LogLevel", "DEBUG", "ServerAliveInterval", "30", "ForwardAgent", "no");
        assertThat(f.run(Fixture.URL, "-o", "forwardagent=yes", "-o", "ServerAliveCountMax 9", "-o", "ConnectTimeout=",
                "--ssh-option", "LogLevel=INFO")).isZero();
        String block = f.read();
        assertThat(block).contains("  forwardagent yes\n  ServerAliveCountMax 9\n  LogLevel INFO\n  ServerAliveInterval 30\n")
                .doesNotContain("  ConnectTimeout").doesNotContain("ForwardAgent no").doesNotContain("DEBUG")
                .contains("# :ssh-option=ConnectTimeout=\n");
    }

    @Test
    void setEnvOnlyForOpenSsh78AndNewer() throws Exception {
        Fixture f = fixture();
        f.ssh.version = new int[] {7, 7};
        assertThat(f.run(Fixture.URL)).isZero();
        assertThat(f.read()).doesNotContain("SetEnv");
        f.ssh.version = null;
        assertThat(f.run(Fixture.URL)).isZero();
        assertThat(f.read()).doesNotContain("SetEnv");
        f.ssh.version = new int[] {7, 8};
        assertThat(f.run(Fixture.URL)).isZero();
        assertThat(f.read()).contains("SetEnv CODER_SSH_SESSION_TYPE=coder-ssh");
    }

    @Test
    void noWildcardGivesEachNameLineItsOptionsAndOpenSshAgrees() throws Exception {
        Fixture f = fixture();
        assertThat(f.run(Fixture.URL, "--no-wildcard", "--all-owners", "--host-prefix", "cs-")).isZero();
        String content = f.read();
        assertThat(content).contains("Host cs-bob--shared cs-dev cs-multi cs-multi.gpu cs-multi.main\n  ProxyCommand")
                .doesNotContain("cs-*");
        assertThat(f.api.queries).containsExactly("");
        var effective = OpenSshClient.onPath().effectiveOptions(f.config(), "cs-bob--shared");
        assertThat(effective).isPresent();
        assertThat(effective.get()).containsEntry("proxycommand",
                "/opt/coder-ssh/bin/coder-ssh proxy --url https://coder.example.com --host-prefix cs- %h");
        assertThat(OpenSshClient.onPath().effectiveOptions(f.config(), "cs-unknown").get())
                .doesNotContainKey("proxycommand");
    }

    @Test
    void noWorkspacesWritesOnlyTheWildcard() throws Exception {
        Fixture f = fixture();
        assertThat(f.run(Fixture.URL, "--no-workspaces")).isZero();
        assertThat(f.read()).contains("\nHost coder.*\n").doesNotContain("coder.dev");
        assertThat(f.api.queries).isEmpty();
    }

    @Test
    void usePreviousOptionsReusesTheRecordedChoices() throws Exception {
        Fixture f = fixture();
        assertThat(f.run(Fixture.URL, "--host-prefix", "x.", "--all-owners", "-o", "User=me", "--no-wildcard")).isZero();
        String first = f.read();
        assertThat(f.run(Fixture.URL, "--use-previous-options", "--yes")).isZero();
        assertThat(f.read()).isEqualTo(first);
        assertThat(f.run(Fixture.URL, "--use-previous-options", "-o", "User=you")).isZero();
        assertThat(f.read()).contains("  User you\n").doesNotContain("User me\n").contains("x.bob--shared");
    }

    @Test
    void proxyOptionsGoIntoTheProxyCommandAndAreReused() throws Exception {
        Fixture f = fixture();
        Path ca = java.nio.file.Files.writeString(home.resolve("corp.pem"), "not read by the fake API");
        assertThat(f.run(Fixture.URL, "--login", "browser", "--disable-autostart", "--wait", "no", "--header",
                "X-Team=a b", "--ca-file", ca.toString(), "--coder-binary", "/usr/bin/coder")).isZero();
        String proxy = "  ProxyCommand /opt/coder-ssh/bin/coder-ssh proxy --url https://coder.example.com"
                + " --disable-autostart --login=browser --wait=no --coder-binary=/usr/bin/coder '--header=X-Team=a b'"
                + " --tls-ca-file=" + ca + " %h\n";
        String first = f.read();
        assertThat(first).contains(proxy).contains("# :proxy-arg=--login=browser\n")
                .contains("# :proxy-arg=--header=X-Team=a b\n");
        // What the ProxyCommand says, the proxy's own parser takes (ssh runs it through sh -c).
        assertThat(OpenSshClient.onPath().effectiveOptions(f.config(), "coder.dev").get().get("proxycommand"))
                .contains("--login=browser");
        assertThat(f.run(Fixture.URL, "--use-previous-options")).isZero();
        assertThat(f.read()).isEqualTo(first);
        assertThat(f.run(Fixture.URL, "--use-previous-options", "--login", "none")).isZero();
        assertThat(f.read()).contains("proxy --url https://coder.example.com --login=none %h\n")
                .doesNotContain("--disable-autostart");
        assertThat(f.run(Fixture.URL)).isZero();
        assertThat(f.read()).contains("proxy --url https://coder.example.com %h\n").doesNotContain("proxy-arg");
    }

    @Test
    void anEditedRecordedProxyOptionIsRefusedAndNothingIsWritten() throws Exception {
        Fixture f = fixture();
        assertThat(f.run(Fixture.URL, "--login", "browser")).isZero();
        f.write(f.read().replace("# :proxy-arg=--login=browser", "# :proxy-arg=--direct=evil:22"));
        String edited = f.read();
        assertThat(exitOf(f, Fixture.URL, "--use-previous-options")).isEqualTo(ExitCode.USAGE);
        assertThat(f.read()).isEqualTo(edited);
        assertThat(exitOf(f, Fixture.URL, "--wait", "sometimes")).isEqualTo(ExitCode.USAGE);
        assertThat(exitOf(f, Fixture.URL, "--header", "X-A=b\nc")).isEqualTo(ExitCode.USAGE);
        assertThat(exitOf(f, Fixture.URL, "--tls-ca-file", home.resolve("missing.pem").toString())).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void usageErrorsExitTwoBeforeAnyIo() {
        Fixture f = fixture();
        // No URL, no $CODER_URL and no sign-in to fall back on: the fix is to sign in.
        assertThat(exitOf(f)).isEqualTo(ExitCode.AUTH_REQUIRED);
        assertThat(exitOf(f, Fixture.URL, "--no-wildcard", "--no-workspaces")).isEqualTo(ExitCode.USAGE);
        assertThat(exitOf(f, Fixture.URL, "--host-prefix", "a*")).isEqualTo(ExitCode.USAGE);
        assertThat(exitOf(f, Fixture.URL, "--watch", "soon")).isEqualTo(ExitCode.USAGE);
        assertThat(exitOf(f, Fixture.URL, "--watch", "1s")).isEqualTo(ExitCode.USAGE);
        assertThat(exitOf(f, Fixture.URL, "--bogus")).isEqualTo(ExitCode.USAGE);
        assertThat(exitOf(f, Fixture.URL, "-o", "=x")).isEqualTo(ExitCode.USAGE);
        assertThat(exitOf(f, "a", "b")).isEqualTo(ExitCode.USAGE);
        assertThat(f.config().getParent()).doesNotExist();
    }

    @Test
    void helpNamesEveryOption() throws Exception {
        String help = new ConfigSshCommand(url -> null, ConfigSshEnvironment.system()).help();
        assertThat(help).startsWith("Usage: coder-ssh config-ssh [URL] [options]");
        for (String option : ConfigSshCommand.OPTIONS) {
            if (java.util.List.of("--ca-file", "--client-cert", "--client-key").contains(option)) {
                assertThat(help).as(option).contains("(old name " + option + ")");
                continue;
            }
            assertThat(help).as(option).containsPattern("(?m)^  (-., )?" + java.util.regex.Pattern.quote(option) + "\\b");
        }
        for (String flag : ConfigSshCommand.FLAGS) {
            assertThat(help).as(flag).containsPattern("(?m)^  (-., )?" + java.util.regex.Pattern.quote(flag) + "\\b");
        }
    }

    @Test
    void apiErrorsKeepTheirExitCodeAndWriteNothing() throws Exception {
        Fixture f = fixture();
        f.write("Host a\n");
        f.api.failure = CoderSshException.authRequired("not signed in to https://coder.example.com", Fixture.URL);
        assertThat(exitOf(f, Fixture.URL)).isEqualTo(ExitCode.AUTH_REQUIRED);
        f.api.failure = CoderSshException.notFound("no such deployment");
        assertThat(exitOf(f, Fixture.URL)).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(f.read()).isEqualTo("Host a\n");
    }

    @Test
    void removeOnlyTakesThisDeploymentsBlock() throws Exception {
        Fixture f = fixture();
        f.write("Host a\n");
        assertThat(f.run("https://other.example.com:8443")).isZero();
        String withOther = f.read();
        assertThat(f.run(Fixture.URL)).isZero();
        assertThat(f.run(Fixture.URL, "--remove")).isZero();
        assertThat(f.read()).isEqualTo(withOther);
        assertThat(f.run(Fixture.URL, "--remove")).isZero();
        assertThat(f.err()).contains("no coder-ssh block for coder.example.com");
    }

    @Test
    void withoutALauncherItFailsAndSaysWhatToSet() throws Exception {
        Fixture f = fixture();
        var console = new dev.coderssh.core.cli.Console(System.in, System.out, System.err, Map.of(), java.time.Clock.systemUTC());
        assertThatThrownBy(() -> f.command().run(java.util.List.of(Fixture.URL), console))
                .isInstanceOf(CoderSshException.class).hasMessageContaining("CODER_SSH_LAUNCHER");
    }

    @Test
    void watchRefreshesAndLogsOnlyChanges() throws Exception {
        Fixture f = fixture();
        f.watchRounds = 4;
        // Round 2 adds a workspace, round 3 fails, round 4 is unchanged.
        FakeCoderApi api = f.api;
        int[] round = {0};
        Fixture.FakeSsh ssh = f.ssh;
        ConfigSshCommand cmd = new ConfigSshCommand(url -> {
            round[0]++;
            api.failure = round[0] == 3 ? CoderSshException.failure("deployment unreachable") : null;
            if (round[0] == 2) {
                api.with(FakeCoderApi.ws("fresh"));
            }
            return api;
        }, new ConfigSshEnvironment(home, false, ssh, d -> {
            f.sleeps.add(d);
            if (f.sleeps.size() >= f.watchRounds) {
                throw new InterruptedException();
            }
        }, Path.of(Fixture.LAUNCHER)));
        var err = new java.io.ByteArrayOutputStream();
        var console = new dev.coderssh.core.cli.Console(System.in, System.out, new java.io.PrintStream(err, true),
                Map.of(), java.time.Clock.systemUTC());
        assertThat(cmd.run(java.util.List.of(Fixture.URL, "--watch", "30s"), console)).isZero();
        assertThat(f.sleeps).hasSize(4).allSatisfy(d -> assertThat(d).hasSeconds(30));
        java.util.List<String> lines = err.toString().lines().toList();
        // The next step: a host just written (the fixture's file is a .ssh/config, so no -F).
        assertThat(lines.get(1)).isEqualTo("Next: ssh coder.dev (or pick it in your IDE's SSH host list)");
        assertThat(lines.stream().filter(l -> !l.startsWith("Next: ")).toList()).containsExactly(
                "coder-ssh config-ssh: wrote 4 workspace host(s) for coder.example.com in " + f.config(),
                "coder-ssh config-ssh: " + f.config() + ": added [coder.fresh], removed []",
                "coder-ssh config-ssh: deployment unreachable");
        assertThat(f.read()).contains("coder.fresh");
    }
}
