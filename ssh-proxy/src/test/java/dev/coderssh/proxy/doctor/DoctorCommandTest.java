package dev.coderssh.proxy.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.api.BuildInfo;
import dev.coderssh.core.api.CoderApi;
import dev.coderssh.core.api.DeploymentSsh;
import dev.coderssh.core.api.User;
import dev.coderssh.core.api.Workspace;
import dev.coderssh.core.cli.Console;
import dev.coderssh.core.http.HttpRequest;
import dev.coderssh.core.http.HttpResponse;
import dev.coderssh.core.http.HttpTransport;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorCommandTest {
    static final String URL = "https://coder.example.com";
    @TempDir
    Path dir;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    FakeCore core;
    Path cli;
    String ssh = "OpenSSH_9.2p1 Debian-2+deb12u3, OpenSSL 3.0.15 3 Sep 2024";
    String sshConfig = "user alice\nproxycommand /opt/coder-ssh/bin/coder-ssh proxy --url https://coder.example.com %h\n";
    /** What the metadata document answers: 200, or 404 / 403 when the provider is off. */
    int metadataStatus = 200;

    final CoderApi api = new CoderApi() {
        @Override
        public BuildInfo buildInfo() {
            return new BuildInfo("v2.20.1+abc", URL);
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

    final HttpTransport http = new HttpTransport() {
        @Override
        public HttpResponse send(HttpRequest request) {
            assertThat(request.url()).isEqualTo(URL + "/.well-known/oauth-authorization-server");
            String json = "{\"issuer\":\"" + URL + "\",\"authorization_endpoint\":\"" + URL + "/oauth2/authorize\","
                    + "\"token_endpoint\":\"" + URL + "/oauth2/tokens\",\"code_challenge_methods_supported\":[\"S256\"]}";
            return new HttpResponse(metadataStatus, Map.of(), (metadataStatus == 200 ? json
                    : "{\"message\":\"Route not found.\"}").getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public HttpResponse download(HttpRequest request, Path target) {
            throw new AssertionError("doctor was given --coder-binary");
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

    @BeforeEach
    void setUp() throws Exception {
        core = new FakeCore("Abcdefghij-0123456789abcdefghijkl");
        core.api = api;
        core.transport = http;
        cli = dir.resolve("coder");
        Files.writeString(cli, "#!/bin/sh\necho '{\"version\":\"v2.20.1+abc\"}'\n");
        assertThat(cli.toFile().setExecutable(true)).isTrue();
    }

    private int run() throws Exception {
        Console console = new Console(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true),
                new PrintStream(new ByteArrayOutputStream(), true), Map.of("CODER_SSH_HOME", dir.toString()),
                Clock.systemUTC());
        return new DoctorCommand(core, probe).run(List.of("--coder-binary", cli.toString(), URL), console);
    }

    private String report() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void allChecksPassExitsZeroWithOneLinePerCheck() throws Exception {
        assertThat(run()).isZero();
        assertThat(report().lines()).hasSize(9).allMatch(l -> l.startsWith("ok   ") || l.equals("all checks passed"));
    }

    @Test
    void notSignedInFailsWithTheLoginFixAndDependentChecksFail() throws Exception {
        core.token = null;
        assertThat(run()).isEqualTo(1);
        assertThat(report()).contains("FAIL sign-in: not signed in, expired or revoked -> fix: run `coder-ssh login "
                + URL + "`").contains("FAIL scopes: not checked");
    }

    @Test
    void aTokenWithoutSshScopeIsNamed() throws Exception {
        core.scopes = Set.of("workspace:read");
        assertThat(run()).isEqualTo(1);
        assertThat(report()).contains("FAIL scopes: this sign-in lacks workspace:ssh");
    }

    @Test
    void providerOffAndUnreachableAreReported() throws Exception {
        for (int off : new int[] {404, 403}) {
            metadataStatus = off;
            assertThat(run()).isEqualTo(1);
            assertThat(report()).contains("FAIL provider: the deployment's OAuth2 provider is off (HTTP " + off)
                    .contains("--token-stdin").contains(URL + "/cli-auth");
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
        assertThat(report()).contains("FAIL ssh-config: no ProxyCommand").contains("coder-ssh config-ssh " + URL);
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
