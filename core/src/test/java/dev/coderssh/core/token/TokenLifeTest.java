package dev.coderssh.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.ExitCode;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.store.Credentials;
import dev.coderssh.core.store.LockManager;
import dev.coderssh.core.testing.FakeCoder;
import dev.coderssh.core.testing.MutableClock;
import dev.coderssh.core.testing.Seed;
import dev.coderssh.core.testing.TestHome;
import dev.coderssh.core.CoreServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20's rules against the fake Coder (MockWebServer): a token the server still accepts is
 * kept, a rotation waits while a session holds the key, a rejected token ends in "sign in again".
 */
class TokenLifeTest {
    static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    static final Duration DAY = Duration.ofHours(24);
    @TempDir
    Path tmp;
    MockWebServer server;
    FakeCoder fake;
    MutableClock clock;
    CoreServices core;
    DeploymentUrl url;
    final AtomicInteger live = new AtomicInteger();
    AccessTokens tokens;

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeCoder();
        server = new MockWebServer();
        server.setDispatcher(fake);
        server.start();
        clock = new MutableClock(T0);
        core = new TestHome(tmp, clock).services();
        url = Seed.url(server);
        tokens = new StoredAccessTokens(core.store(), core.locks(), clock, core::oauth, Duration.ofSeconds(5),
                () -> new HttpKeyCheck(core.transport()), keyId -> live.get());
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private static String id(String token) {
        return SessionFiles.keyId(token);
    }

    @Test
    void aConfirmationStandsTenMinutesThenTheServerIsAskedOnceAndTheTokenKept() {
        Credentials c = Seed.signIn(fake, server, core.store(), T0, DAY);
        fake.keyExpiry.put(id(c.accessToken()), T0.plus(DAY).plus(Duration.ofMinutes(30)));
        clock.advance(Duration.ofMinutes(9));
        assertThat(tokens.fresh(url).value()).isEqualTo(c.accessToken());
        assertThat(server.getRequestCount()).isZero();
        clock.advance(Duration.ofMinutes(2));
        AccessToken t = tokens.fresh(url);
        assertThat(t.value()).isEqualTo(c.accessToken());
        assertThat(fake.keyChecks.get()).isEqualTo(1);
        assertThat(fake.refreshRequests.get()).isZero();
        Credentials stored = core.store().load(url);
        assertThat(stored.checkedAt()).isEqualTo(clock.instant());
        assertThat(stored.acceptedUntil()).isEqualTo(T0.plus(DAY).plus(Duration.ofMinutes(30)));
        assertThat(t.reusableUntil()).isEqualTo(clock.instant().plus(StoredAccessTokens.CONFIRM_FOR).minusSeconds(10));
        assertThat(tokens.fresh(url).value()).isEqualTo(c.accessToken());
        assertThat(fake.keyChecks.get()).as("one check per confirmation").isEqualTo(1);
    }

    @Test
    void pastItsLifetimeWithNoSessionThePairIsRotatedWithoutAsking() {
        Credentials c = Seed.signIn(fake, server, core.store(), T0, DAY);
        fake.keyExpiry.put(id(c.accessToken()), T0.plus(DAY).plus(Duration.ofHours(20)));
        clock.set(T0.plus(DAY).minus(Duration.ofMinutes(5)));
        AccessToken t = tokens.fresh(url);
        assertThat(t.value()).isNotEqualTo(c.accessToken());
        assertThat(fake.refreshRequests.get()).isEqualTo(1);
        assertThat(fake.keyChecks.get()).isZero();
    }

    @Test
    void aSessionHoldingTheKeyDefersTheRotationWhileTheServerMovesItsExpiry() {
        Credentials c = Seed.signIn(fake, server, core.store(), T0, DAY);
        live.set(1);
        Instant serverEnd = T0.plus(DAY).plus(Duration.ofHours(20)); // the session's reports moved it on
        fake.keyExpiry.put(id(c.accessToken()), serverEnd);
        clock.set(T0.plus(DAY).minus(Duration.ofMinutes(5)));
        assertThat(tokens.fresh(url).value()).isEqualTo(c.accessToken());
        assertThat(fake.refreshRequests.get()).isZero();
        // deferred: the next confirmation is due in 10 minutes, not at once
        clock.advance(Duration.ofMinutes(9));
        assertThat(tokens.fresh(url).value()).isEqualTo(c.accessToken());
        assertThat(fake.keyChecks.get()).isEqualTo(1);
        // the session ended: the next decision rotates
        live.set(0);
        clock.advance(Duration.ofMinutes(2));
        assertThat(tokens.fresh(url).value()).isNotEqualTo(c.accessToken());
        assertThat(fake.refreshRequests.get()).isEqualTo(1);
    }

    @Test
    void aKeyTheServerDoesNotExtendIsRotatedEvenWithASession() {
        // --disable-session-expiry-refresh, or a lifetime under an hour: the key dies at its first end
        Credentials c = Seed.signIn(fake, server, core.store(), T0, DAY);
        live.set(1);
        fake.keyExpiry.put(id(c.accessToken()), T0.plus(DAY));
        clock.set(T0.plus(DAY).minus(Duration.ofMinutes(5)));
        assertThat(tokens.fresh(url).value()).isNotEqualTo(c.accessToken());
        assertThat(fake.keyChecks.get()).isEqualTo(1);
        assertThat(fake.refreshRequests.get()).isEqualTo(1);
    }

    @Test
    void pastTheHardCapThePairIsRotatedEvenWithASession() {
        Credentials c = Seed.signIn(fake, server, core.store(), T0, DAY);
        live.set(1);
        fake.keyExpiry.put(id(c.accessToken()), T0.plus(Duration.ofDays(9)));
        clock.set(T0.plus(StoredAccessTokens.HARD_CAP).plusSeconds(1));
        assertThat(tokens.fresh(url).value()).isNotEqualTo(c.accessToken());
        assertThat(fake.refreshRequests.get()).isEqualTo(1);
    }

    @Test
    void aTokenRevokedAtTheServerEndsInSignInAgainAtTheNextCheck() {
        Credentials c = Seed.signIn(fake, server, core.store(), T0, DAY);
        fake.keyExpiry.put(id(c.accessToken()), T0.plus(DAY));
        // an admin deletes the key: Coder deletes its refresh token with it
        fake.killAccess(c.accessToken());
        fake.revokeRefresh(c.refreshToken());
        clock.advance(StoredAccessTokens.CONFIRM_FOR);
        assertThatThrownBy(() -> tokens.fresh(url)).isInstanceOfSatisfying(CoderSshException.class,
                e -> assertThat(e.exitCode()).isEqualTo(ExitCode.AUTH_REQUIRED));
        assertThat(core.store().load(url).expired()).isTrue();
    }

    @Test
    void aServerThatShowsNoKeyRecordConfirmsThroughUsersMe() {
        Credentials c = Seed.signIn(fake, server, core.store(), T0, DAY);
        clock.advance(Duration.ofMinutes(11));
        assertThat(tokens.fresh(url).value()).isEqualTo(c.accessToken());
        Credentials stored = core.store().load(url);
        assertThat(stored.checkedAt()).isEqualTo(clock.instant());
        assertThat(stored.acceptedUntil()).as("expiry unknown: the issued one").isEqualTo(c.expiresAt());
    }

    @Test
    void sessionFilesCountLiveProcessesAndDropEndedOnes() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("sessions"));
        SessionFiles s = new SessionFiles(dir);
        long me = ProcessHandle.current().pid();
        s.register("abc123-secret", me);
        Files.createFile(dir.resolve("abc123.999999999"));
        Files.createFile(dir.resolve("other1." + me));
        assertThat(s.holding("abc123")).isEqualTo(1);
        assertThat(dir.resolve("abc123.999999999")).doesNotExist();
        // a file written before our process started belongs to an earlier owner of the pid
        Path stale = dir.resolve("abc123." + me);
        Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.from(
                ProcessHandle.current().info().startInstant().orElseThrow().minusSeconds(60)));
        assertThat(s.holding("abc123")).isZero();
        assertThat(SessionFiles.keyId("not a key")).isNull();
    }
}
