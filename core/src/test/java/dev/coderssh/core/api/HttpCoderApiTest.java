package dev.coderssh.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.CoreServices;
import dev.coderssh.core.ExitCode;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.store.Credentials;
import dev.coderssh.core.testing.FakeCoder;
import dev.coderssh.core.testing.MutableClock;
import dev.coderssh.core.testing.Seed;
import dev.coderssh.core.testing.TestHome;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpCoderApiTest {
    static final String WS = "{\"id\":\"w%d\",\"name\":\"ws%d\",\"owner_name\":\"alice\",\"template_name\":\"t\",\"outdated\":false,"
            + "\"latest_build\":{\"transition\":\"start\",\"status\":\"running\",\"resources\":[{\"agents\":[{\"id\":\"a1\","
            + "\"name\":\"main\",\"status\":\"connected\",\"lifecycle_state\":\"ready\",\"operating_system\":\"linux\"}]}]}}";
    @TempDir
    Path tmp;
    MockWebServer server;
    FakeCoder fake;
    CoreServices core;
    DeploymentUrl url;
    Credentials creds;
    final List<RecordedRequest> seen = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeCoder();
        server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) throws InterruptedException {
                String path = r.getUrl().encodedPath();
                if (path.equals("/api/v2/buildinfo")) {
                    synchronized (seen) {
                        seen.add(r);
                    }
                }
                if (!path.startsWith("/api/v2/workspace") && !path.startsWith("/api/v2/users/alice")
                        && !path.equals("/api/v2/deployment/ssh")) {
                    return fake.dispatch(r);
                }
                synchronized (seen) {
                    seen.add(r);
                }
                if (!fake.accessTokenLive(r.getHeaders().get("Coder-Session-Token"))) {
                    return FakeCoder.json(401, "{\"message\":\"You must be logged in.\"}");
                }
                if (path.equals("/api/v2/workspaces")) {
                    int offset = Integer.parseInt(r.getUrl().queryParameter("offset"));
                    int n = offset == 0 ? 100 : 5;
                    StringBuilder sb = new StringBuilder("{\"count\":105,\"workspaces\":[");
                    for (int i = 0; i < n; i++) {
                        sb.append(i == 0 ? "" : ",").append(String.format(WS, offset + i, offset + i));
                    }
                    return FakeCoder.json(200, sb.append("]}").toString());
                }
                if (path.equals("/api/v2/users/alice/workspace/ws1")) {
                    return FakeCoder.json(200, String.format(WS, 1, 1));
                }
                if (path.equals("/api/v2/users/alice/workspace/missing")) {
                    return FakeCoder.json(404, "{\"message\":\"Resource not found or you do not have access to this resource\"}");
                }
                if (path.equals("/api/v2/workspaces/w1/builds")) {
                    return FakeCoder.json(403, "{\"message\":\"Forbidden.\"}");
                }
                if (path.equals("/api/v2/deployment/ssh")) {
                    return FakeCoder.json(200, "{\"hostname_prefix\":\"coder.\",\"hostname_suffix\":\"\","
                            + "\"ssh_config_options\":{\"ForwardAgent\":\"yes\"}}");
                }
                return FakeCoder.json(404, "{\"message\":\"Route not found.\"}");
            }
        });
        server.start();
        TestHome home = new TestHome(tmp, new MutableClock(Instant.parse("2026-11-01T10:00:00Z")));
        core = home.services();
        url = Seed.url(server);
        creds = Seed.signIn(fake, server, core.store(), Instant.parse("2026-11-01T10:00:00Z"), Duration.ofHours(24));
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void buildInfoNeedsNoToken() {
        // Signed out: buildinfo is what login asks before any token exists.
        assertThat(core.store().delete(url)).isTrue();
        BuildInfo info = core.api(url).buildInfo();
        assertThat(info.version()).isEqualTo("v2.38.0");
        assertThat(info.dashboardUrl()).isNotNull();
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).getHeaders().get("Coder-Session-Token")).isNull();
        assertThat(seen.get(0).getHeaders().get("Authorization")).isNull();
    }

    @Test
    void workspacesAreReadAcrossPages() {
        List<Workspace> all = core.api(url).workspaces("owner:me");
        assertThat(all).hasSize(105);
        assertThat(all.get(104).name()).isEqualTo("ws104");
        assertThat(all.get(0).agents()).containsExactly(new WorkspaceAgent("a1", "main", "connected", "ready", "linux"));
        assertThat(seen.get(0).getUrl().queryParameter("q")).isEqualTo("owner:me");
        assertThat(seen.get(0).getHeaders().get("Coder-Session-Token")).isEqualTo(creds.accessToken());
    }

    @Test
    void oneWorkspaceAndDeploymentSsh() {
        Workspace w = core.api(url).workspace("alice", "ws1");
        assertThat(w.buildStatus()).isEqualTo("running");
        assertThat(w.transition()).isEqualTo("start");
        DeploymentSsh ssh = core.api(url).deploymentSsh();
        assertThat(ssh.hostnamePrefix()).isEqualTo("coder.");
        assertThat(ssh.sshConfigOptions()).containsEntry("ForwardAgent", "yes");
    }

    @Test
    void errorsMapToExitCodes() {
        assertThatThrownBy(() -> core.api(url).workspace("alice", "missing"))
                .isInstanceOfSatisfying(CoderSshException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.NOT_FOUND))
                .hasMessageContaining("Resource not found");
        assertThatThrownBy(() -> core.api(url).startWorkspace("w1"))
                .isInstanceOfSatisfying(CoderSshException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.FAILURE))
                .hasMessageContaining("forbidden: Forbidden.");
    }

    @Test
    void a401AfterRefreshIsAuthRequired() {
        fake.killAccess(creds.accessToken());
        fake.tokenFaults.add(FakeCoder.json(400, "{\"error\":\"invalid_grant\"}"));
        assertThatThrownBy(() -> core.api(url).workspaces("owner:me"))
                .isInstanceOfSatisfying(CoderSshException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.AUTH_REQUIRED))
                .hasMessageContaining("expired or was revoked");
    }
}
