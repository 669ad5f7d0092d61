package dev.coderssh.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.CoreServices;
import dev.coderssh.core.ExitCode;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.http.HttpOptions;
import dev.coderssh.core.oauth.Sleeper;
import dev.coderssh.core.store.Credentials;
import dev.coderssh.core.testing.FakeCoder;
import dev.coderssh.core.testing.MutableClock;
import dev.coderssh.core.testing.Seed;
import dev.coderssh.core.testing.TestHome;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fault issue 7 lists on the token endpoint, during a refresh: a bounded number of attempts,
 * then one line; the stored sign-in is never replaced by a broken answer and never lost.
 */
class TokenEndpointFaultsTest {
    static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    static final String GOOD_JSON = "{\"access_token\":\"AT-x\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
            + "\"refresh_token\":\"coder_x\"}";
    @org.junit.jupiter.api.io.TempDir
    Path tmp;
    MockWebServer server;
    FakeCoder fake;
    MutableClock clock;
    TestHome home;
    CoreServices core;
    DeploymentUrl url;
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeCoder();
        server = new MockWebServer();
        server.setDispatcher(fake);
        server.start();
        clock = new MutableClock(T0);
        home = new TestHome(tmp, clock);
        // Short socket timeouts keep the stall cases fast; the per-attempt call bound is OAuthClient's.
        core = new CoreServices(home.console(), new HttpOptions(Map.of(), null, null, null, null, Duration.ofSeconds(2),
                Duration.ofMillis(300)), "test", sleeps::add);
        url = Seed.url(server);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    static Stream<Arguments> persistentFaults() {
        return Stream.of(
                fault("timeout (server never answers)", "timed out",
                        () -> new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build()),
                fault("connection reset", "cannot reach",
                        () -> new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket(true, false, false)).build()),
                fault("500", "HTTP 500", () -> FakeCoder.json(500, "{\"error\":\"server_error\"}")),
                fault("503 with Retry-After", "HTTP 503",
                        () -> new MockResponse.Builder().code(503).addHeader("Retry-After", "2").body("busy").build()),
                fault("429", "rate limited by", () -> new MockResponse.Builder().code(429).addHeader("Retry-After", "1")
                        .addHeader("Content-Type", "application/json").body("{\"error\":\"temporarily_unavailable\"}").build()),
                // coder's limiter (httpmw/ratelimit.go): a plain message, not an OAuth error.
                fault("429 from coder's rate limiter", "rate limited by http://127.0.0.1", () -> new MockResponse.Builder().code(429)
                        .addHeader("Retry-After", "1").addHeader("Content-Type", "application/json")
                        .body("{\"message\":\"You've been rate limited for sending more than 60 requests in 1m0s.\"}").build()),
                fault("invalid JSON", "not JSON", () -> FakeCoder.json(200, "{\"access_token\": ")),
                fault("10 MB body", "larger than 4 MiB", () -> FakeCoder.json(200,
                        "{\"access_token\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}")),
                fault("wrong content type", "content type text/html", () -> new MockResponse.Builder().code(200)
                        .addHeader("Content-Type", "text/html").body(GOOD_JSON).build()),
                fault("expires_in 0", "expires_in is not positive", () -> FakeCoder.json(200,
                        "{\"access_token\":\"AT-x\",\"token_type\":\"Bearer\",\"refresh_token\":\"coder_x\",\"expires_in\":0}")));
    }

    static Arguments fault(String name, String expected, Supplier<MockResponse> response) {
        return Arguments.of(name, expected, response);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("persistentFaults")
    void aPersistentFaultEndsInOneLineAndKeepsTheSignIn(String name, String expected, Supplier<MockResponse> response) {
        Credentials before = Seed.signIn(fake, server, core.store(), T0, Duration.ofHours(1));
        for (int i = 0; i < 8; i++) {
            fake.tokenFaults.add(response.get());
        }
        clock.advance(Duration.ofHours(2));
        assertThatThrownBy(() -> core.tokens().fresh(url))
                .isInstanceOfSatisfying(CoderSshException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.FAILURE))
                .hasMessageStartingWith("could not refresh the token for " + url)
                .hasMessageContaining(expected)
                .hasMessageEndingWith("stored sign-in kept")
                .hasMessageNotContaining("\n").hasMessageNotContaining(before.refreshToken());
        assertThat(fake.refreshRequests.get()).as("attempts").isBetween(1, 4);
        assertThat(core.store().load(url)).isEqualTo(before);
        assertThat(fake.refreshTokenLive(before.refreshToken())).as("the server never rotated").isTrue();
        assertThat(sleeps).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(30)));
        // Once the server is healthy again the same sign-in refreshes.
        fake.tokenFaults.clear();
        assertThat(fake.accessTokenLive(core.tokens().fresh(url).value())).isTrue();
    }

    @Test
    void aRefreshAnswerWithoutExpiresInIsSavedWithAnAssumedHour() {
        // RFC 6749 section 5.1: expires_in is optional. The server has rotated the pair by now, so
        // refusing the answer would lose the sign-in (issue 12, invariant 2).
        Seed.signIn(fake, server, core.store(), T0, Duration.ofHours(1));
        fake.tokenFaults.add(FakeCoder.json(200,
                "{\"access_token\":\"AT-nolife-0123456789\",\"token_type\":\"Bearer\",\"refresh_token\":\"coder_nolife_0123456789\"}"));
        clock.advance(Duration.ofHours(2));
        assertThat(core.tokens().fresh(url).value()).isEqualTo("AT-nolife-0123456789");
        Credentials after = core.store().load(url);
        assertThat(after.refreshToken()).isEqualTo("coder_nolife_0123456789");
        assertThat(after.expiresAt()).isEqualTo(clock.instant().plusSeconds(3600));
    }

    @Test
    void aRefreshAnswerWithoutANewRefreshTokenKeepsTheOneSent() {
        // RFC 6749 section 6: the server MAY issue a new refresh token; if it does not, the client
        // keeps the old one. The new access token is used either way.
        Credentials before = Seed.signIn(fake, server, core.store(), T0, Duration.ofHours(1));
        fake.tokenFaults.add(FakeCoder.json(200,
                "{\"access_token\":\"AT-new-0123456789abcdef\",\"token_type\":\"Bearer\",\"expires_in\":3600}"));
        clock.advance(Duration.ofHours(2));
        assertThat(core.tokens().fresh(url).value()).isEqualTo("AT-new-0123456789abcdef");
        Credentials after = core.store().load(url);
        assertThat(after.accessToken()).isEqualTo("AT-new-0123456789abcdef");
        assertThat(after.refreshToken()).isEqualTo(before.refreshToken());
        assertThat(after.expiresAt()).isEqualTo(clock.instant().plusSeconds(3600));
        // The kept one still works where the server did not rotate (this fake's canned answer).
        clock.advance(Duration.ofHours(2));
        assertThat(fake.accessTokenLive(core.tokens().fresh(url).value())).isTrue();
        assertThat(fake.refreshRequests.get()).isEqualTo(2);
    }

    @Test
    void aSlowButAnsweringServerIsWaitedFor() {
        Seed.signIn(fake, server, core.store(), T0, Duration.ofHours(1));
        server.setDispatcher(new mockwebserver3.Dispatcher() {
            @Override
            public MockResponse dispatch(mockwebserver3.RecordedRequest r) throws InterruptedException {
                // Below the 300 ms socket timeout: a delay is not a failure.
                return fake.dispatch(r).newBuilder().headersDelay(150, TimeUnit.MILLISECONDS).build();
            }
        });
        clock.advance(Duration.ofHours(2));
        assertThat(fake.accessTokenLive(core.tokens().fresh(url).value())).isTrue();
        assertThat(fake.refreshRequests.get()).isEqualTo(1);
    }

    @Test
    void retryAfterOf503IsHonoured() {
        Seed.signIn(fake, server, core.store(), T0, Duration.ofHours(1));
        fake.tokenFaults.add(new MockResponse.Builder().code(503).addHeader("Retry-After", "7").build());
        clock.advance(Duration.ofHours(2));
        core.tokens().fresh(url);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void retriesStopWhenTheTimeBudgetIsSpent() {
        // Each wait "takes" 10 s, as if every attempt had run into its timeout: the third attempt
        // would start past the 20 s budget, so it never does.
        CoreServices slow = new CoreServices(home.console(), HttpOptions.defaults(), "test", new Sleeper() {
            @Override
            public void sleep(Duration d) {
                clock.advance(Duration.ofSeconds(10));
            }
        });
        Credentials before = Seed.signIn(fake, server, slow.store(), T0, Duration.ofHours(1));
        for (int i = 0; i < 4; i++) {
            fake.tokenFaults.add(FakeCoder.json(500, "{}"));
        }
        clock.advance(Duration.ofHours(2));
        assertThatThrownBy(() -> slow.tokens().fresh(url)).hasMessageContaining("HTTP 500");
        assertThat(fake.refreshRequests.get()).isEqualTo(3);
        assertThat(slow.store().load(url)).isEqualTo(before);
    }
}
