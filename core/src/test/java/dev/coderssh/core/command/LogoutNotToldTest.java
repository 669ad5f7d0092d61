package dev.coderssh.core.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.store.Credentials;
import dev.coderssh.core.testing.Cli;
import dev.coderssh.core.testing.FakeCoder;
import dev.coderssh.core.testing.FakeDeployment;
import dev.coderssh.core.testing.TestHome;
import java.nio.file.Path;
import java.time.Instant;
import dev.coderssh.core.store.LockManager;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code logout} when the revocation does not go through: the local sign-in goes anyway, and one line says so. */
class LogoutNotToldTest {
    @TempDir
    Path tmp;
    /** The revocation's answer; 0: FakeCoder's own (200). */
    volatile int revokeStatus;
    final AtomicInteger revokeCalls = new AtomicInteger();
    final CountDownLatch revoking = new CountDownLatch(1);
    volatile CountDownLatch hang;
    FakeDeployment d;
    FakeCoder fake;
    TestHome home;
    DeploymentUrl url;
    Credentials signedIn;

    @BeforeEach
    void setUp() throws Exception {
        d = new FakeDeployment(tmp, Instant.parse("2026-11-01T10:00:00Z"), new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest req) throws InterruptedException {
                if (req.getUrl().encodedPath().equals("/oauth2/revoke")) {
                    revokeCalls.incrementAndGet();
                    revoking.countDown();
                    if (hang != null) {
                        hang.await(30, TimeUnit.SECONDS); // accepts, then does not answer
                    }
                    if (revokeStatus != 0) {
                        return FakeCoder.json(revokeStatus, "{\"error\":\"server_error\",\"error_description\":\"boom\"}");
                    }
                }
                return fake.dispatch(req);
            }
        });
        fake = d.fake;
        home = d.home;
        url = d.url;
        signedIn = d.signIn();
    }

    @AfterEach
    void tearDown() throws Exception {
        d.close();
    }

    @Test
    @SuppressWarnings("try")
    void aServerThatNeverAnswersHoldsNoLockAndTheLocalSignInIsGoneAtOnce() throws Exception {
        hang = new CountDownLatch(1);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(this::logout);
        assertThat(revoking.await(10, TimeUnit.SECONDS)).isTrue();
        // While the revocation waits: the sign-in is already deleted and the lock is free.
        assertThat(home.services().store().load(url)).isNull();
        try (LockManager.Held held = home.services().locks().acquire(url, Duration.ofMillis(500))) {
            assertThat(exit).isNotDone();
        } finally {
            hang.countDown();
        }
        assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
    }

    private int logout() {
        return Cli.run(new LogoutCommand("test"), home.console(), url.toString());
    }

    @Test
    void aRevocationAnswering500StillDeletesLocallyAndSaysUntilWhenTheTokenWorks() {
        revokeStatus = 500;
        assertThat(logout()).isZero();
        assertThat(home.services().store().load(url)).isNull();
        assertThat(home.services().store().loadClient(url)).isNotNull();
        assertThat(revokeCalls.get()).isPositive();
        // The server never learnt of it: the refresh token still works there.
        assertThat(fake.refreshTokenLive(signedIn.refreshToken())).isTrue();
        assertThat(home.err()).contains("Note: " + url + " could not be told (HTTP 500), so the sign-in was deleted"
                + " locally only: its access token works until 2026-11-02T10:00:00Z at the latest")
                .contains("Logged out of " + url + " (local credentials deleted).");
        assertThat(home.err().lines().filter(l -> l.contains("could not be told"))).hasSize(1);
        assertThat(home.err()).doesNotContain(signedIn.accessToken()).doesNotContain(signedIn.refreshToken());
    }

    @Test
    void anyOtherRefusalIsNamedByItsStatus() {
        revokeStatus = 401;
        assertThat(logout()).isZero();
        assertThat(home.services().store().load(url)).isNull();
        assertThat(home.err()).contains("could not be told (HTTP 401)");
    }

    @Test
    void aFailingNetworkStillDeletesLocallyWithoutAnExceptionName() {
        d.server.close();
        assertThat(logout()).isZero();
        assertThat(home.services().store().load(url)).isNull();
        assertThat(home.err()).contains("could not be told (the network failed), so the sign-in was deleted locally only")
                .doesNotContain("Exception");
    }

    /** Issue 19: it said nothing, so a person could not tell a revoked sign-in from a local-only delete. */
    @Test
    void aConfirmedRevocationIsSaid() {
        assertThat(logout()).isZero();
        assertThat(fake.refreshTokenLive(signedIn.refreshToken())).isFalse();
        assertThat(home.err()).doesNotContain("could not be told").contains("Logged out of " + url)
                .contains("Revoked at " + url + ": its tokens no longer work there.");
    }
}
