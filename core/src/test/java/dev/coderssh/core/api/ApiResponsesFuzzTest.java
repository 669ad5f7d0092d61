package dev.coderssh.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.CoreServices;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.http.HttpResponse;
import dev.coderssh.core.json.Json;
import dev.coderssh.core.json.JsonException;
import dev.coderssh.core.testing.FakeCoder;
import dev.coderssh.core.testing.MutableClock;
import dev.coderssh.core.testing.Seed;
import dev.coderssh.core.testing.TestHome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Coder API answers are outside input: any body, any status, through the real client, gives a
 * value or a CoderSshException with one line, never anything else.
 */
class ApiResponsesFuzzTest {
    static MockWebServer server;
    static FakeCoder fake;
    static volatile MockResponse next;
    static CoderApi api;

    @BeforeContainer
    static void start() throws Exception {
        fake = new FakeCoder();
        server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                String path = r.getUrl().encodedPath();
                return path.startsWith("/api/v2/workspace") || path.startsWith("/api/v2/users/me")
                        || path.equals("/api/v2/deployment/ssh") || path.equals("/api/v2/buildinfo") ? next : fake.dispatch(r);
            }
        });
        server.start();
        Path tmp = Files.createTempDirectory("api-fuzz");
        TestHome home = new TestHome(tmp, new MutableClock(Instant.parse("2026-11-01T10:00:00Z")));
        CoreServices core = home.services();
        Seed.signIn(fake, server, core.store(), Instant.parse("2026-11-01T10:00:00Z"), Duration.ofHours(24));
        DeploymentUrl url = Seed.url(server);
        api = core.api(url);
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    @Property(tries = 300)
    void anyAnswerIsAValueOrOneTypedLine(@ForAll("bodies") String body, @ForAll("statuses") int status,
                                         @ForAll("calls") String call) {
        // Connection: close sidesteps a 40 ms delayed-ACK stall per keep-alive request on loopback.
        next = new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json")
                .addHeader("Connection", "close").body(body).build();
        try {
            switch (call) {
                case "workspaces":
                    List<Workspace> ws = api.workspaces("owner:me");
                    assertThat(ws).doesNotContainNull();
                    break;
                case "workspace":
                    api.workspace("me", "ws");
                    break;
                case "me":
                    api.me();
                    break;
                case "ssh":
                    api.deploymentSsh();
                    break;
                default:
                    api.buildInfo();
            }
        } catch (CoderSshException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
        }
    }

    @net.jqwik.api.Example
    void endlessFullPagesStopAtACap() {
        next = new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .addHeader("Connection", "close").body("{\"workspaces\":[" + "{\"name\":\"w\"},".repeat(99) + "{\"name\":\"w\"}]}").build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> api.workspaces("owner:me"))
                .isInstanceOf(CoderSshException.class).hasMessageContaining("more than 10000 workspaces");
    }

    /** The parsers alone, on arbitrary JSON values nested anywhere. */
    @Property(tries = 2000)
    void workspaceAndErrorParsersNeverThrow(@ForAll("bodies") String body, @ForAll int status) {
        try {
            Map<String, Object> m = Json.parseObject(body);
            HttpCoderApi.workspace(m);
            HttpCoderApi.user(m);
        } catch (JsonException expected) {
            // typed
        }
        String msg = HttpCoderApi.message(new HttpResponse(Math.floorMod(status, 600), Map.of(),
                body.getBytes(StandardCharsets.UTF_8)));
        assertThat(msg).doesNotContain("\n").hasSizeLessThanOrEqualTo(200);
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> value = Arbitraries.of("null", "1", "\"x\"", "[]", "{}", "[1]", "[{}]", "[null]", "true", "1e999",
                "\"\\u0000\\n\"", "{\"agents\":[{}]}", "[{\"agents\":{}}]", "{\"resources\":[{\"agents\":[null,1,{}]}]}");
        Arbitrary<String> key = Arbitraries.of("workspaces", "count", "latest_build", "resources", "agents", "id", "name",
                "username", "message", "ssh_config_options", "hostname_prefix", "version", "dashboard_url", "outdated");
        Arbitrary<String> member = net.jqwik.api.Combinators.combine(key, value).as((k, v) -> "\"" + k + "\":" + v);
        Arbitrary<String> object = member.list().ofMaxSize(6).map(l -> "{" + String.join(",", l) + "}");
        Arbitrary<String> nested = net.jqwik.api.Combinators.combine(key, object).as((k, o) -> "{\"" + k + "\":[" + o + "]}");
        return Arbitraries.oneOf(object, nested, Arbitraries.strings().ofMaxLength(40),
                Arbitraries.just("{\"workspaces\":[" + "{\"latest_build\":{\"resources\":[{\"agents\":[{}]}]}},".repeat(99)
                        + "{}],\"count\":-5}"));
    }

    @Provide
    Arbitrary<Integer> statuses() {
        return Arbitraries.of(200, 200, 200, 201, 204, 301, 400, 401, 403, 404, 409, 429, 500, 503);
    }

    @Provide
    Arbitrary<String> calls() {
        return Arbitraries.of("workspaces", "workspace", "me", "ssh", "buildinfo");
    }
}
