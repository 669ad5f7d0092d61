package dev.coderssh.proxy.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.ExitCode;
import dev.coderssh.core.api.BuildInfo;
import dev.coderssh.core.api.CoderApi;
import dev.coderssh.core.api.DeploymentSsh;
import dev.coderssh.core.api.User;
import dev.coderssh.core.api.Workspace;
import dev.coderssh.core.cli.Console;
import dev.coderssh.core.http.HttpOptions;
import dev.coderssh.core.http.HttpTransports;
import dev.coderssh.core.scope.ScopeCatalog;
import dev.coderssh.proxy.FakeCore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * doctor against a MockWebServer playing coderd (metadata and the probes' calls over real HTTP), a
 * stand-in ssh ({@link SshProbe}, our own interface) and a CLI script that prints its version.
 */
class DoctorCommandTest {
    @TempDir
    Path dir;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    FakeCore core;
    Path cli;
    String ssh = "OpenSSH_9.2p1 Debian-2+deb12u3, OpenSSL 3.0.15 3 Sep 2024";
    String sshConfig = "user alice\nproxycommand /opt/coder-ssh/bin/coder-ssh proxy --url https://coder.example.com %h\n";
    /** What the metadata document answers: 200, or 404 / 403 when the provider is off. */
    volatile int metadataStatus = 200;
    /** The deployment: the MockWebServer's URL. */
    String url;

    final CoderApi api = new CoderApi() {
        @Override
        public BuildInfo buildInfo() {
            return new BuildInfo("v2.20.1+abc", url);
        }

        @Override
        public User me() {
            throw new AssertionError();
        }

        @Override
        public Workspace workspace(String owner, String name) {
            throw new AssertionError();
        }

        @Override
        public List<Workspace> workspaces(String query) {
            throw new AssertionError();
        }

        @Override
        public void startWorkspace(String workspaceId) {
            throw new AssertionError();
        }

        @Override
        public DeploymentSsh deploymentSsh() {
            throw new AssertionError();
        }
    };

    final SshProbe probe = new SshProbe() {
        @Override
        public String version() {
            return ssh;
        }

        @Override
        public String effectiveConfig(String host) {
            assertThat(host).isEqualTo("coder.doctor-probe");
            return sshConfig;
        }
    };

    /** The scope probes' calls, answered as coderd would for the token's permissions. */
    final ScopedCoder coder = new ScopedCoder(ScopeProbesTest.EVERYTHING);
    MockWebServer server;

    @BeforeEach
    void setUp() throws Exception {
        core = new FakeCore(ScopedCoder.TOKEN);
        core.scopes = Set.copyOf(ScopeCatalog.DEFAULT);
        core.api = api;
        server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) throws InterruptedException {
                if (!r.getUrl().encodedPath().equals("/.well-known/oauth-authorization-server")) {
                    return coder.dispatch(r);
                }
                return metadataStatus != 200 ? ScopedCoder.json(metadataStatus, "{\"message\":\"Route not found.\"}")
                        : ScopedCoder.json(200, "{\"issuer\":\"" + url + "\",\"authorization_endpoint\":\"" + url
                        + "/oauth2/authorize\",\"token_endpoint\":\"" + url + "/oauth2/tokens\","
                        + "\"code_challenge_methods_supported\":[\"S256\"]}");
            }
        });
        server.start();
        url = "http://127.0.0.1:" + server.getPort();
        core.transport = HttpTransports.create(HttpOptions.defaults(), "test", Map.of());
        cli = dir.resolve("coder");
        Files.writeString(cli, "#!/bin/sh\necho '{\"version\":\"v2.20.1+abc\"}'\n");
        assertThat(cli.toFile().setExecutable(true)).isTrue();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private int run(String... more) throws Exception {
        Console console = new Console(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true),
                new PrintStream(new ByteArrayOutputStream(), true), Map.of("CODER_SSH_HOME", dir.toString()),
                Clock.systemUTC());
        List<String> args = new java.util.ArrayList<>(List.of("--coder-binary", cli.toString(), url));
        args.addAll(List.of(more));
        return new DoctorCommand(core, probe).run(args, console);
    }

    private String report() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void allChecksPassExitsZeroWithOneLinePerCheck() throws Exception {
        assertThat(run()).isZero();
        assertThat(report().lines()).hasSize(13).allMatch(l -> l.startsWith("ok   ") || l.equals("all checks passed"));
        assertThat(report()).contains("ok   who-am-i: ").contains("ok   workspace-lookup: ").contains("ok   connect: ")
                .contains("ok   activity-report: ").doesNotContain(ScopedCoder.TOKEN);
    }

    @Test
    void theOldNarrowSignInIsToldWhatItLacksAndWhatTheServerRefuses() throws Exception {
        core.scopes = ScopeProbesTest.NARROW;
        coder.permissions = ScopeProbesTest.NARROW_ON_NEWEST;
        assertThat(run()).isEqualTo(1);
        assertThat(report()).contains("FAIL scopes: this sign-in lacks who-am-i, start-outdated, undormant, activity-report; on some versions workspace-lookup, start")
                .contains("; on some versions workspace-lookup, start (`coder-ssh status` says what each breaks)")
                .contains("-> fix: run `coder-ssh login " + url + "` again")
                .contains("FAIL who-am-i: GET /api/v2/users/me refused (HTTP 404): this sign-in lacks user:read")
                .contains("ok   workspace-lookup: found alice/dev").contains("ok   connect: ")
                .contains("FAIL activity-report: POST /api/v2/workspaces/{id}/usage refused (HTTP 403)")
                .contains("3 check(s) failed");
    }

    @Test
    void aMalformedWorkspaceIsAUsageError() {
        Console console = new Console(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true),
                new PrintStream(new ByteArrayOutputStream(), true), Map.of("CODER_SSH_HOME", dir.toString()),
                Clock.systemUTC());
        for (String bad : List.of("", "a/b/c", "owner/", "two words")) {
            assertThatThrownBy(() -> new DoctorCommand(core, probe).run(List.of("--workspace", bad, url), console))
                    .isInstanceOfSatisfying(CoderSshException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE));
        }
        assertThat(coder.calls()).isEmpty();
    }

    @Test
    void aWorkspaceThatCannotBeProbedCouldNotTellAndIsNotGreen() throws Exception {
        coder.buildStatus = "stopped";
        assertThat(run()).isEqualTo(1);
        assertThat(report()).contains("?    connect: could not tell: alice/dev has no agent to probe")
                .contains("0 check(s) failed, 1 could not tell");
    }

    @Test
    void notSignedInFailsWithTheLoginFixAndDependentChecksFail() throws Exception {
        core.token = null;
        assertThat(run()).isEqualTo(1);
        assertThat(report()).contains("FAIL sign-in: not signed in, expired or revoked -> fix: run `coder-ssh login "
                + url + "`").contains("FAIL scopes: not checked").contains("FAIL who-am-i: not checked")
                .contains("FAIL activity-report: not checked");
        assertThat(coder.calls()).isEmpty();
    }

    @Test
    void aTokenWithoutSshScopeIsNamed() throws Exception {
        core.scopes = Set.of("workspace:read");
        coder.permissions = Set.of("workspace:read");
        assertThat(run()).isEqualTo(1);
        assertThat(report()).contains("FAIL scopes: this sign-in lacks who-am-i").contains(", connect,");
    }

    @Test
    void providerOffAndUnreachableAreReported() throws Exception {
        for (int off : new int[] {404, 403}) {
            metadataStatus = off;
            assertThat(run()).isEqualTo(1);
            assertThat(report()).contains("FAIL provider: the deployment's OAuth2 provider is off (HTTP " + off)
                    .contains("--token-stdin").contains(url + "/cli-auth");
            out.reset();
        }
        metadataStatus = 200;
        core.api = new DelegatingApi(api) {
            @Override
            public BuildInfo buildInfo() {
                throw CoderSshException.failure("PKIX path building failed");
            }
        };
        assertThat(run()).isEqualTo(1);
        assertThat(report()).contains("FAIL deployment: TLS failed").contains("--tls-ca-file")
                .contains("FAIL cli: not checked");
    }

    @Test
    void aShadowedOrMissingProxyCommandIsCaughtThroughSshItself() throws Exception {
        sshConfig = "proxycommand nc %h %p\n";
        assertThat(run()).isEqualTo(1);
        assertThat(report()).contains("FAIL ssh-config: ssh would use another ProxyCommand");
        out.reset();
        sshConfig = "user alice\n";
        assertThat(run()).isEqualTo(1);
        assertThat(report()).contains("FAIL ssh-config: no ProxyCommand").contains("coder-ssh config-ssh " + url);
    }

    @Test
    void aConfigWrittenElsewhereIsNamedInTheFix() throws Exception {
        sshConfig = "user alice\n";
        String file = dir.resolve("my ssh").resolve("config").toString();
        assertThat(run("--ssh-config-file", file)).isEqualTo(1);
        assertThat(report()).contains("FAIL ssh-config: no ProxyCommand for coder.doctor-probe in " + file
                + " -> fix: run `coder-ssh config-ssh " + url + " --ssh-config-file '" + file + "'`\n");
        out.reset();
        // Without it, the fix says which file was read and how to check another one.
        assertThat(run()).isEqualTo(1);
        assertThat(report()).contains("FAIL ssh-config: no ProxyCommand for coder.doctor-probe in ~/.ssh/config")
                .contains("`coder-ssh doctor " + url + " --ssh-config-file FILE`");
    }

    @Test
    void aTokenTheServerRejectsIsNotReportedFresh() throws Exception {
        core.token = "Revoked0123-0123456789abcdefghijkl";
        assertThat(run()).isEqualTo(1);
        assertThat(report()).doesNotContain("ok   sign-in")
                .contains("FAIL sign-in: signed in as alice here, but the deployment rejected the token (HTTP 401):"
                        + " revoked, or signed out elsewhere -> fix: run `coder-ssh login " + url + "` to sign in again")
                .contains("?    who-am-i: could not tell: GET /api/v2/users/me: the token was rejected (HTTP 401)");
    }

    @Test
    void aCliOfAnotherVersionOrAnOldSshFails() throws Exception {
        Files.writeString(cli, "#!/bin/sh\necho '{\"version\":\"v2.19.0\"}'\n");
        ssh = "OpenSSH_7.4p1, OpenSSL 1.0.2k-fips";
        assertThat(run()).isEqualTo(1);
        assertThat(report()).contains("FAIL cli: " + cli + " is v2.19.0, the server is v2.20.1+abc")
                .contains("FAIL ssh: OpenSSH_7.4p1");
    }

    /** Forwards everything, so a test overrides one method. */
    static class DelegatingApi implements CoderApi {
        private final CoderApi d;

        DelegatingApi(CoderApi d) {
            this.d = d;
        }

        @Override
        public BuildInfo buildInfo() {
            return d.buildInfo();
        }

        @Override
        public User me() {
            return d.me();
        }

        @Override
        public Workspace workspace(String owner, String name) {
            return d.workspace(owner, name);
        }

        @Override
        public List<Workspace> workspaces(String query) {
            return d.workspaces(query);
        }

        @Override
        public void startWorkspace(String workspaceId) {
            d.startWorkspace(workspaceId);
        }

        @Override
        public DeploymentSsh deploymentSsh() {
            return d.deploymentSsh();
        }
    }
}
