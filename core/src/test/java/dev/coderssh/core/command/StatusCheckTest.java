package dev.coderssh.core.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.json.Json;
import dev.coderssh.core.store.ClientRegistration;
import dev.coderssh.core.store.Credentials;
import dev.coderssh.core.testing.Cli;
import dev.coderssh.core.testing.FakeCoder;
import dev.coderssh.core.testing.MutableClock;
import dev.coderssh.core.testing.Seed;
import dev.coderssh.core.testing.TestHome;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code status --check} asks the server: accepted, revoked there, or unreachable, each its own exit code. */
class StatusCheckTest {
    static final Instant T0 = Instant.now();
    @TempDir
    Path tmp;
    MockWebServer server;
    FakeCoder fake;
    TestHome home;
    DeploymentUrl url;
    Credentials signedIn;

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeCoder();
        server = new MockWebServer();
        server.setDispatcher(fake);
        server.start();
        home = new TestHome(tmp, new MutableClock(T0));
        url = Seed.url(server);
        signedIn = Seed.signIn(fake, server, home.services().store(), T0.minusSeconds(60), Duration.ofHours(1));
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private Map<String, Object> status(int expectedCode) {
        assertThat(Cli.run(new StatusCommand("test"), home.console(), url.toString(), "--check", "--json"))
                .as(home.err()).isEqualTo(expectedCode);
        return Json.parseObject(home.out());
    }

    @Test
    void anAcceptedTokenNamesTheUserTheServerSees() {
        fake.username = "alice-on-server";
        Map<String, Object> row = status(0);
        assertThat(row).containsEntry("state", "active").containsEntry("checked_user", "alice-on-server");
        assertThat(Cli.run(new StatusCommand("test"), home.console(), url.toString(), "--check")).isZero();
        assertThat(home.out()).contains("checked:  the server accepts it (user alice-on-server)");
    }

    @Test
    void aSignInRevokedAtTheServerIsRevokedAndExitThree() {
        ClientRegistration client = home.services().store().loadClient(url);
        assertThat(home.services().oauth().revoke(signedIn.revocationEndpoint(), client, signedIn.refreshToken(),
                "refresh_token")).isEqualTo(200);
        fake.killAccess(signedIn.accessToken());
        Map<String, Object> row = status(3);
        assertThat(row).containsEntry("state", "revoked");
        assertThat((String) row.get("check_error")).contains("coder-ssh login");
        // The refresh the check tried was refused, which marks the sign-in ended: offline status says so now.
        assertThat(Cli.run(new StatusCommand("test"), home.console(), url.toString())).isEqualTo(3);
    }

    @Test
    void anUnreachableServerIsExitOneWithinTheBound() throws Exception {
        server.close();
        long start = System.nanoTime();
        Map<String, Object> row = status(1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(StatusCheck.BOUND.multipliedBy(3));
        assertThat(row).containsEntry("state", "active").containsKey("check_error");
        assertThat((String) row.get("check_error")).doesNotContain("Exception");
    }
}
