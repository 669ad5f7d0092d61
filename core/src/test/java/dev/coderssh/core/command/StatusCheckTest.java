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
import dev.coderssh.core.scope.ScopeCatalog;
import java.net.InetAddress;
import java.net.ServerSocket;
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
    void aServerThatAcceptsAndNeverAnswersIsExitOneWithinTheBound() throws Exception {
        // The kernel completes each connection (backlog); nothing is ever read or written back.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            url = DeploymentUrl.parse("http://127.0.0.1:" + silent.getLocalPort());
            Seed.signIn(fake, url, home.services().store(), T0.minusSeconds(60), Duration.ofHours(1),
                    String.join(" ", ScopeCatalog.DEFAULT));
            long start = System.nanoTime();
            Map<String, Object> row = status(1);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            // It waited for the answer (so the bound, not a refused connection, ended the wait), and no longer.
            assertThat(took).isGreaterThanOrEqualTo(StatusCheck.BOUND.minusMillis(100))
                    .isLessThan(StatusCheck.BOUND.multipliedBy(2));
            assertThat(row).containsEntry("state", "active").containsKey("check_error");
            assertThat((String) row.get("check_error")).doesNotContain("Exception");
        }
    }

    @Test
    void tokenCheckAsksTheServerAndPlainTokenLearnsFromIt() {
        String[] printed = new String[1];
        assertThat(Cli.run(new TokenCommand("test"), home.console(), url.toString(), "--check")).as(home.err()).isZero();
        printed[0] = home.out().strip();
        assertThat(printed[0]).isEqualTo(signedIn.accessToken());
        home.out.reset();
        ClientRegistration client = home.services().store().loadClient(url);
        home.services().oauth().revoke(signedIn.revocationEndpoint(), client, signedIn.refreshToken(), "refresh_token");
        fake.killAccess(signedIn.accessToken());

        // Offline, the file still says fresh: plain token cannot know (documented in its help).
        assertThat(Cli.run(new TokenCommand("test"), home.console(), url.toString())).isZero();
        home.out.reset();
        assertThat(Cli.run(new TokenCommand("test"), home.console(), url.toString(), "--check")).isEqualTo(3);
        assertThat(home.out()).isEmpty();
        assertThat(home.err()).contains("coder-ssh login " + url);
        // The check's refused refresh marked the sign-in ended: plain token knows it now.
        assertThat(Cli.run(new TokenCommand("test"), home.console(), url.toString())).isEqualTo(3);
        assertThat(home.out()).isEmpty();
    }
}
