package dev.coderssh.core.token;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoredAccessTokensTest {
    static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    @TempDir
    Path tmp;
    MockWebServer server;
    FakeCoder fake;
    MutableClock clock;
    TestHome home;
    CoreServices core;
    DeploymentUrl url;

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeCoder();
        server = new MockWebServer();
        server.setDispatcher(fake);
        server.start();
        clock = new MutableClock(T0);
        home = new TestHome(tmp, clock);
        core = home.services();
        url = Seed.url(server);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void freshTokenIsReturnedWithoutAnyRequest() {
        Credentials c = Seed.signIn(fake, server, core.store(), T0, Duration.ofHours(24));
        // confirmed by the server a minute ago (a check within CONFIRM_FOR stands)
        core.store().save(c.withCheck(T0.plus(Duration.ofHours(23).plusMinutes(53)), null));
        clock.advance(Duration.ofHours(23).plusMinutes(54));
        AccessToken t = core.tokens().fresh(url);
        assertThat(t.value()).isEqualTo(c.accessToken());
        assertThat(t.username()).isEqualTo("alice");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void refreshesWhenLessThanFiveMinutesRemainAndRotatesThePair() {
        Credentials c = Seed.signIn(fake, server, core.store(), T0, Duration.ofHours(24));
        clock.advance(Duration.ofHours(23).plusMinutes(56));
        AccessToken t = core.tokens().fresh(url);
        assertThat(t.value()).isNotEqualTo(c.accessToken());
        assertThat(fake.refreshRequests.get()).isEqualTo(1);
        Credentials stored = core.store().load(url);
        assertThat(stored.accessToken()).isEqualTo(t.value());
        assertThat(stored.refreshToken()).isNotEqualTo(c.refreshToken());
        assertThat(fake.refreshTokenLive(c.refreshToken())).isFalse();
        assertThat(stored.expiresAt()).isEqualTo(clock.instant().plusSeconds(86400));
        assertThat(stored.scope()).isEqualTo(c.scope());
        // A second call uses the new token without another request.
        assertThat(core.tokens().fresh(url).value()).isEqualTo(t.value());
        assertThat(fake.refreshRequests.get()).isEqualTo(1);
    }

    @Test
    void aTokenAboutToBeRefreshedIsNotHandedOver() {
        // One second before the refresh is due: another process's refresh could delete this token
        // before the CLI it is handed to authenticates. So it is refreshed instead (after waiting
        // for the due time), never handed over.
        Credentials c = Seed.signIn(fake, server, core.store(), T0, Duration.ofHours(24));
        clock.advance(Duration.ofHours(24).minusMinutes(5).minusSeconds(1));
        AccessToken t = core.tokens().fresh(url);
        assertThat(t.value()).isNotEqualTo(c.accessToken());
        assertThat(fake.refreshRequests.get()).isEqualTo(1);
    }

    @Test
    void aPastedSessionTokenIsHandedOverWithoutExpiryChecks() {
        core.store().save(new Credentials(url.toString(), Credentials.SESSION_TOKEN, "abcdefghij-0123456789012345678901",
                null, null, null, "", "alice", null, null, null, false));
        assertThat(core.tokens().fresh(url).value()).isEqualTo("abcdefghij-0123456789012345678901");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void aTokenJustOutsideTheHandoverGraceIsHandedOver() {
        Credentials c = Seed.signIn(fake, server, core.store(), T0, Duration.ofHours(24));
        core.store().save(c.withCheck(T0.plus(Duration.ofHours(24).minusMinutes(6)), null));
        clock.advance(Duration.ofHours(24).minusMinutes(5).minusSeconds(11));
        assertThat(core.tokens().fresh(url).value()).isEqualTo(c.accessToken());
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void reusableUntilIsTheLastInstantTheTokenIsHandedOver() {
        Credentials c = Seed.signIn(fake, server, core.store(), T0, Duration.ofHours(24));
        // 24 h lifetime: 5 min margin, 10 s grace; the last confirmation came 6 min before that.
        c = c.withCheck(T0.plus(Duration.ofHours(24)).minus(Duration.ofMinutes(11)), null);
        core.store().save(c);
        AccessToken t = core.tokens().fresh(url);
        Instant until = T0.plus(Duration.ofHours(24)).minusSeconds(5 * 60 + 10);
        assertThat(t.reusableUntil()).isEqualTo(until);
        clock.set(until);
        assertThat(core.tokens().fresh(url).value()).isEqualTo(c.accessToken());
        assertThat(fake.refreshRequests.get()).isZero();
        assertThat(StoredAccessTokens.canHandOver(c, until.plusMillis(1))).isFalse();
        clock.set(until.plusSeconds(10)); // the refresh is due: no wait before it
        AccessToken next = core.tokens().fresh(url);
        assertThat(next.value()).isNotEqualTo(c.accessToken());
        // the new pair's confirmation is its token response: it stands CONFIRM_FOR, less the grace
        assertThat(next.reusableUntil()).as("the refreshed token's own")
                .isEqualTo(clock.instant().plus(StoredAccessTokens.CONFIRM_FOR).minusSeconds(10));
    }

    @Test
    void aPastedSessionTokenIsReusableWithoutAKnownEnd() {
        core.store().save(new Credentials(url.toString(), Credentials.SESSION_TOKEN, "abcdefghij-0123456789012345678901",
                null, null, null, "", "alice", null, null, null, false));
        assertThat(core.tokens().fresh(url).reusableUntil()).isEqualTo(Instant.MAX);
    }

    @Test
    void stillStoredReadsWithoutEverRefreshing() {
        Credentials c = Seed.signIn(fake, server, core.store(), T0, Duration.ofHours(24));
        AccessToken t = core.tokens().fresh(url);
        assertThat(core.tokens().stillStored(url, t)).isTrue();
        clock.advance(Duration.ofHours(30)); // long past expiry: a read still does not refresh
        assertThat(core.tokens().stillStored(url, t)).isTrue();
        assertThat(server.getRequestCount()).isZero();
        core.store().save(c.markExpired());
        assertThat(core.tokens().stillStored(url, t)).isFalse();
        core.store().delete(url);
        assertThat(core.tokens().stillStored(url, t)).isFalse();
    }

    @Test
    void shortLifetimeUsesTenPercentMargin() {
        Seed.signIn(fake, server, core.store(), T0, Duration.ofMinutes(10));
        // Margin 60 s (10%), hand-over grace 10 s: handed over up to 70 s before expiry.
        clock.advance(Duration.ofSeconds(8 * 60 + 49));
        core.tokens().fresh(url);
        assertThat(fake.refreshRequests.get()).isZero();
        clock.advance(Duration.ofSeconds(12));
        core.tokens().fresh(url);
        assertThat(fake.refreshRequests.get()).isEqualTo(1);
    }

    @Test
    void notLoggedInIsAuthRequired() {
        assertThatThrownBy(() -> core.tokens().fresh(url))
                .isInstanceOfSatisfying(CoderSshException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.AUTH_REQUIRED))
                .hasMessage("not logged in to " + url + ": run `coder-ssh login " + url + "`");
    }

    @Test
    void invalidGrantMarksTheSessionExpired() {
        Seed.signIn(fake, server, core.store(), T0, Duration.ofHours(1));
        fake.tokenFaults.add(FakeCoder.json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"revoked\"}"));
        clock.advance(Duration.ofHours(2));
        assertThatThrownBy(() -> core.tokens().fresh(url))
                .isInstanceOfSatisfying(CoderSshException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.AUTH_REQUIRED))
                .hasMessage("session for " + url + " expired or was revoked: run `coder-ssh login " + url + "`");
        assertThat(core.store().load(url).expired()).isTrue();
        // Later calls fail the same way without asking the server again.
        assertThatThrownBy(() -> core.tokens().fresh(url)).hasMessageContaining("expired or was revoked");
        assertThat(fake.refreshRequests.get()).isEqualTo(1);
    }

    @Test
    void serverErrorsAreRetriedThenFailWithOneLineAndKeepTheStore() {
        Credentials c = Seed.signIn(fake, server, core.store(), T0, Duration.ofHours(1));
        for (int i = 0; i < 4; i++) {
            fake.tokenFaults.add(FakeCoder.json(500, "{\"error\":\"server_error\"}"));
        }
        clock.advance(Duration.ofHours(2));
        assertThatThrownBy(() -> core.tokens().fresh(url))
                .isInstanceOfSatisfying(CoderSshException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.FAILURE))
                .hasMessageContaining("could not refresh the token for " + url)
                .hasMessageContaining("stored sign-in kept")
                .hasMessageNotContaining("\n");
        assertThat(fake.refreshRequests.get()).isEqualTo(4);
        assertThat(core.store().load(url)).isEqualTo(c);
    }

    @Test
    void transientFailuresRecover() {
        Seed.signIn(fake, server, core.store(), T0, Duration.ofHours(1));
        fake.tokenFaults.add(FakeCoder.json(503, "{}"));
        fake.tokenFaults.add(new MockResponse.Builder().code(429).addHeader("Retry-After", "1").body("{\"error\":\"temporarily_unavailable\"}").build());
        clock.advance(Duration.ofHours(2));
        AccessToken t = core.tokens().fresh(url);
        assertThat(fake.refreshRequests.get()).isEqualTo(3);
        assertThat(fake.accessTokenLive(t.value())).isTrue();
    }

    @Test
    void tooLongRetryAfterGivesUpAtOnce() {
        Credentials c = Seed.signIn(fake, server, core.store(), T0, Duration.ofHours(1));
        fake.tokenFaults.add(new MockResponse.Builder().code(429).addHeader("Retry-After", "3600")
                .body("{\"error\":\"temporarily_unavailable\"}").build());
        clock.advance(Duration.ofHours(2));
        assertThatThrownBy(() -> core.tokens().fresh(url))
                .hasMessage("could not refresh the token for " + url + ": rate limited by " + url
                        + "; try again in 3600 s; stored sign-in kept");
        assertThat(fake.refreshRequests.get()).isEqualTo(1);
        assertThat(core.store().load(url)).isEqualTo(c);
    }

    @Test
    void brokenResponsesNeverReplaceStoredCredentials() {
        Credentials c = Seed.signIn(fake, server, core.store(), T0, Duration.ofHours(1));
        clock.advance(Duration.ofHours(2));
        // (Answers without refresh_token or expires_in are not broken: see TokenEndpointFaultsTest.)
        String[] bodies = {
            "{\"token_type\":\"Bearer\",\"expires_in\":3600,\"refresh_token\":\"coder_y\"}",
            "{\"access_token\":\"x\",\"token_type\":\"Bearer\",\"refresh_token\":\"coder_y\",\"expires_in\":-1}",
            "{not json",
            "<html>oops</html>",
        };
        for (String body : bodies) {
            fake.tokenFaults.add(FakeCoder.json(200, body));
            assertThatThrownBy(() -> core.tokens().fresh(url))
                    .isInstanceOfSatisfying(CoderSshException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.FAILURE));
            assertThat(core.store().load(url)).isEqualTo(c);
        }
    }

    @Test
    void invalidClientIsAuthRequiredAndKeepsTheStore() {
        Credentials c = Seed.signIn(fake, server, core.store(), T0, Duration.ofHours(1));
        fake.forgetClient(c.clientId());
        clock.advance(Duration.ofHours(2));
        assertThatThrownBy(() -> core.tokens().fresh(url))
                .isInstanceOfSatisfying(CoderSshException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.AUTH_REQUIRED))
                .hasMessageContaining("invalid_client");
        assertThat(core.store().load(url)).isEqualTo(c);
    }

    @Test
    void unreachableServerFailsWithOneLine() throws Exception {
        Seed.signIn(fake, server, core.store(), T0, Duration.ofHours(1));
        server.close();
        clock.advance(Duration.ofHours(2));
        assertThatThrownBy(() -> core.tokens().fresh(url))
                .isInstanceOfSatisfying(CoderSshException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.FAILURE))
                .hasMessageContaining("cannot reach");
    }

    @Test
    void apiRejectionOfAFreshLookingTokenRefreshesOnceAndRetries() {
        Credentials c = Seed.signIn(fake, server, core.store(), T0, Duration.ofHours(24));
        fake.killAccess(c.accessToken());
        assertThat(core.api(url).me().username()).isEqualTo("alice");
        assertThat(fake.refreshRequests.get()).isEqualTo(1);
    }

    @Test
    void noStrayLockFileRemains() throws Exception {
        Seed.signIn(fake, server, core.store(), T0, Duration.ofHours(1));
        clock.advance(Duration.ofHours(2));
        core.tokens().fresh(url);
        try (var files = Files.list(core.home().locks())) {
            assertThat(files).isEmpty();
        }
    }
}
