package dev.coderssh.proxy.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.http.HttpOptions;
import dev.coderssh.core.http.HttpTransports;
import dev.coderssh.core.scope.Capability;
import dev.coderssh.core.scope.ScopeCatalog;
import dev.coderssh.core.token.AccessToken;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ScopeProbesTest {
    /** What the first edition asked for; stored sign-ins still hold it. */
    static final Set<String> NARROW = Set.of("coder:workspaces.access", "workspace:start", "user:read_personal");
    /** What a newest server lets NARROW do (its access composite includes template:read). */
    static final Set<String> NARROW_ON_NEWEST = Set.of("workspace:read", "workspace:ssh", "workspace:application_connect",
            "template:read", "workspace:start", "user:read_personal");
    static final Set<String> EVERYTHING = Set.of("user:read", "user:read_personal", "workspace:read", "workspace:ssh",
            "workspace:update", "workspace:start", "workspace:create", "template:read");
    final ScopedCoder coder = new ScopedCoder(EVERYTHING);
    MockWebServer server;
    DeploymentUrl url;
    HttpOptions options = HttpOptions.defaults();

    @BeforeEach
    void setUp() throws Exception {
        server = new MockWebServer();
        server.setDispatcher(coder);
        server.start();
        url = DeploymentUrl.parse("http://127.0.0.1:" + server.getPort());
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private Map<Capability, Outcome> probe(Collection<String> scopes, String workspace) {
        AccessToken token = new AccessToken(ScopedCoder.TOKEN, Instant.now().plusSeconds(3600), Set.copyOf(scopes), "alice", null);
        return new ScopeProbes(HttpTransports.create(options, "test", Map.of()), url, token, options, Clock.systemUTC())
                .run(workspace);
    }

    @Test
    void theDefaultScopesPassEveryProbeWithoutOpeningAConnection() {
        Map<Capability, Outcome> r = probe(ScopeCatalog.DEFAULT, null);
        assertThat(r.keySet()).containsExactlyElementsOf(ScopeProbes.PROBED);
        assertThat(r.values()).allMatch(o -> o instanceof Outcome.Pass);
        assertThat(r.get(Capability.WORKSPACE_LOOKUP).detail()).isEqualTo("found alice/dev and its template version");
        assertThat(r.get(Capability.ACTIVITY_REPORT).detail()).contains("marked alice/dev as used now");
        assertThat(coder.calls()).containsExactly("GET /api/v2/users/me", "GET /api/v2/workspaces?q=owner%3Ame&limit=25",
                "GET /api/v2/users/alice/workspace/dev", "GET /api/v2/templateversions/" + ScopedCoder.VERSION,
                "GET /api/v2/workspaceagents/" + ScopedCoder.AGENT + "/connection",
                "GET /api/v2/workspaceagents/" + ScopedCoder.AGENT + "/coordinate?version=99.99",
                "POST /api/v2/workspaces/" + ScopedCoder.WS + "/usage");
    }

    @Test
    void theCoordinateProbeNeverAsksForAWebsocketAndTheUsageProbeSendsNoBody() throws Exception {
        probe(ScopeCatalog.DEFAULT, null);
        for (int i = 0; i < 7; i++) {
            RecordedRequest req = server.takeRequest();
            assertThat(req.getHeaders().get("Upgrade")).isNull();
            if (req.getMethod().equals("POST")) {
                // coderd treats an empty body as the CLI's plain report: no app usage is recorded.
                assertThat(req.getBody().size()).isZero();
            }
        }
    }

    @Test
    void theOldNarrowSetIsRefusedWhoAmIAndTheActivityReportAndNamesTheScopes() {
        coder.permissions = NARROW_ON_NEWEST;
        Map<Capability, Outcome> r = probe(NARROW, null);
        assertThat(r.get(Capability.WHO_AM_I)).isInstanceOf(Outcome.Fail.class);
        assertThat(r.get(Capability.WHO_AM_I).detail())
                .startsWith("GET /api/v2/users/me refused (HTTP 404): this sign-in lacks user:read, so ");
        assertThat(((Outcome.Fail) r.get(Capability.WHO_AM_I)).fix())
                .isEqualTo("run `coder-ssh login " + url + "` again to be granted user:read");
        assertThat(r.get(Capability.WORKSPACE_LOOKUP)).isInstanceOf(Outcome.Pass.class);
        assertThat(r.get(Capability.CONNECT)).isInstanceOf(Outcome.Pass.class);
        assertThat(r.get(Capability.ACTIVITY_REPORT).detail()).startsWith(
                "POST /api/v2/workspaces/{id}/usage refused (HTTP 403): this sign-in lacks workspace:update, so sessions"
                        + " are not recorded as use");
    }

    @Test
    void withoutWorkspaceSshTheCoordinateCallIsRefusedWith404() {
        coder.permissions = Set.of("user:read", "workspace:read", "template:read", "workspace:update");
        Map<Capability, Outcome> r = probe(Set.of("coder:workspaces.operate", "user:read", "template:read"), null);
        assertThat(r.get(Capability.CONNECT)).isInstanceOf(Outcome.Fail.class);
        assertThat(r.get(Capability.CONNECT).detail()).startsWith(
                "GET /api/v2/workspaceagents/{id}/coordinate refused (HTTP 404): this sign-in lacks workspace:ssh");
        assertThat(r.get(Capability.ACTIVITY_REPORT)).isInstanceOf(Outcome.Pass.class);
    }

    @Test
    void withoutTemplateReadTheLookupFailsAtTheTemplateVersion() {
        coder.permissions = Set.of("user:read", "workspace:read", "workspace:ssh", "workspace:update");
        Map<Capability, Outcome> r = probe(Set.of("workspace:read", "workspace:ssh", "workspace:update", "user:read"), null);
        assertThat(r.get(Capability.WORKSPACE_LOOKUP).detail())
                .startsWith("GET /api/v2/templateversions/{id} refused (HTTP 404): this sign-in lacks template:read");
        // The workspace itself was found, so the later steps are still probed.
        assertThat(r.get(Capability.CONNECT)).isInstanceOf(Outcome.Pass.class);
    }

    @Test
    void anEmptyListCannotTellAbsenceFromRefusalAndTheLaterProbesAreNotChecked() {
        coder.permissions = Set.of("user:read");
        Map<Capability, Outcome> r = probe(Set.of("user:read"), null);
        assertThat(r.get(Capability.WHO_AM_I)).isInstanceOf(Outcome.Pass.class);
        assertThat(r.get(Capability.WORKSPACE_LOOKUP)).isInstanceOf(Outcome.Unknown.class);
        assertThat(r.get(Capability.WORKSPACE_LOOKUP).detail()).contains("workspace:read");
        assertThat(r.get(Capability.CONNECT)).isEqualTo(Outcome.unknown("not checked: no workspace to probe",
                "fix the workspace-lookup check first"));
        assertThat(r.get(Capability.ACTIVITY_REPORT)).isInstanceOf(Outcome.Unknown.class);
        assertThat(coder.calls()).noneMatch(c -> c.startsWith("POST"));
    }

    @Test
    void aNamedWorkspaceIsProbedAndAnUnknownNameCannotTell() {
        assertThat(probe(ScopeCatalog.DEFAULT, "dev").values()).allMatch(o -> o instanceof Outcome.Pass);
        assertThat(coder.calls()).contains("GET /api/v2/users/me/workspace/dev").noneMatch(c -> c.contains("q=owner"));
        Map<Capability, Outcome> r = probe(ScopeCatalog.DEFAULT, "bob/other");
        assertThat(r.get(Capability.WORKSPACE_LOOKUP)).isInstanceOf(Outcome.Unknown.class);
        assertThat(r.get(Capability.WORKSPACE_LOOKUP).detail()).contains("no workspace bob/other");
    }

    @Test
    void aStoppedWorkspaceHasNoAgentToProbeButItsActivityReportIs() {
        coder.buildStatus = "stopped";
        Map<Capability, Outcome> r = probe(ScopeCatalog.DEFAULT, null);
        assertThat(r.get(Capability.CONNECT)).isInstanceOf(Outcome.Unknown.class);
        assertThat(r.get(Capability.CONNECT).detail()).isEqualTo("alice/dev has no agent to probe (its latest build is stopped)");
        assertThat(r.get(Capability.ACTIVITY_REPORT)).isInstanceOf(Outcome.Pass.class);
    }

    @Test
    void olderServersAnswerTheCoordinateProbeWith426AndThatIsAllowed() {
        coder.checksCoordinateVersion = false;
        assertThat(probe(ScopeCatalog.DEFAULT, null).get(Capability.CONNECT).detail()).contains("HTTP 426");
    }

    @Test
    void aRefusalDespiteTheScopesPointsAtTheRoleAndASessionTokenToo() {
        coder.permissions = Set.of("user:read", "workspace:read", "template:read", "workspace:ssh");
        Outcome o = probe(ScopeCatalog.DEFAULT, null).get(Capability.ACTIVITY_REPORT);
        assertThat(o.detail()).contains("include workspace:update, so your account's role may not allow it");
        assertThat(((Outcome.Fail) o).fix()).isEqualTo("ask a deployment admin about your role");
        o = probe(Set.of(), null).get(Capability.ACTIVITY_REPORT);
        assertThat(o.detail()).contains("refused (HTTP 403): your account may not do this");
    }

    @Test
    void aRouteTheDeploymentDoesNotServeCannotTellRatherThanBlameTheScopes() {
        server.setDispatcher(new mockwebserver3.Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                return request.getUrl().encodedPath().endsWith("/coordinate")
                        ? ScopedCoder.json(404, "{\"message\":\"Route not found.\"}") : coder.dispatch(request);
            }
        });
        Outcome o = probe(ScopeCatalog.DEFAULT, null).get(Capability.CONNECT);
        assertThat(o).isInstanceOf(Outcome.Unknown.class);
        assertThat(o.detail()).endsWith("answered HTTP 404 (Route not found.): this deployment does not serve it");
    }

    @Test
    void aRejectedTokenCannotTellAndNamesLogin() {
        server.setDispatcher(new mockwebserver3.Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return ScopedCoder.json(401, "{\"message\":\"API key expired.\"}");
            }
        });
        Outcome o = probe(ScopeCatalog.DEFAULT, null).get(Capability.WHO_AM_I);
        assertThat(o).isEqualTo(Outcome.unknown("GET /api/v2/users/me: the token was rejected (HTTP 401)",
                "run `coder-ssh login " + url + "`"));
    }

    @Test
    void aStalledServerIsBoundedByTheHttpTimeoutsAndTheTokenIsNeverPrinted() {
        options = new HttpOptions(Map.of(), null, null, null, null, Duration.ofMillis(500), Duration.ofMillis(500));
        server.setDispatcher(new mockwebserver3.Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build();
            }
        });
        long start = System.nanoTime();
        Map<Capability, Outcome> r = probe(ScopeCatalog.DEFAULT, null);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(r.get(Capability.WHO_AM_I).detail()).isEqualTo("GET /api/v2/users/me: no answer in time");
        assertThat(r.values()).allMatch(o -> o instanceof Outcome.Unknown)
                .allMatch(o -> !o.toString().contains(ScopedCoder.TOKEN));
    }
}
