package dev.coderssh.core.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.CoreServices;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.json.Json;
import dev.coderssh.core.store.ClientRegistration;
import dev.coderssh.core.store.Credentials;
import dev.coderssh.core.testing.Cli;
import dev.coderssh.core.testing.FakeCoder;
import dev.coderssh.core.testing.FollowingBrowser;
import dev.coderssh.core.testing.MutableClock;
import dev.coderssh.core.testing.Seed;
import dev.coderssh.core.testing.TestHome;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandsTest {
    static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    @TempDir
    Path tmp;
    MockWebServer server;
    FakeCoder fake;
    TestHome home;
    MutableClock clock;
    DeploymentUrl url;

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeCoder();
        server = new MockWebServer();
        server.setDispatcher(fake);
        server.start();
        clock = new MutableClock(T0);
        home = new TestHome(tmp, clock);
        url = Seed.url(server);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    CoreServices core() {
        return home.services();
    }

    Credentials login() {
        assertThat(Cli.run(new LoginCommand("test", c -> new FollowingBrowser(), () -> false), home.console(), url.toString()))
                .isZero();
        return core().store().load(url);
    }

    @Test
    void statusJsonShowsEverythingButTheToken() {
        Credentials c = login();
        home.out.reset();
        assertThat(Cli.run(new StatusCommand("test"), home.console(), url.toString(), "--json")).isZero();
        Map<String, Object> m = Json.parseObject(home.out());
        assertThat(m).containsEntry("url", url.toString()).containsEntry("user", "alice").containsEntry("kind", "oauth")
                .containsEntry("expires_at", "2026-11-02T10:00:00Z").containsEntry("state", "active")
                .containsEntry("store", core().store().credentialsFile(url).toString());
        assertThat(m.get("scopes")).asList().containsExactlyElementsOf(dev.coderssh.core.scope.ScopeCatalog.DEFAULT);
        assertThat(home.out()).doesNotContain(c.accessToken()).doesNotContain(c.refreshToken());
    }

    @Test
    void statusOfAllIsAnArrayAndHumanOutputHasNoToken() {
        Credentials c = login();
        home.out.reset();
        assertThat(Cli.run(new StatusCommand("test"), home.console(), "--json")).isZero();
        assertThat((List<?>) Json.parse(home.out())).hasSize(1);
        home.out.reset();
        assertThat(Cli.run(new StatusCommand("test"), home.console())).isZero();
        assertThat(home.out()).contains("user:     alice").contains("in 24h 0m").doesNotContain(c.accessToken());
    }

    @Test
    void statusWhenSignedOutIsExitThree() {
        assertThat(Cli.run(new StatusCommand("test"), home.console())).isEqualTo(3);
        assertThat(Cli.run(new StatusCommand("test"), home.console(), url.toString())).isEqualTo(3);
        assertThat(home.err()).contains("not logged in to " + url + ": run `coder-ssh login " + url + "`");
    }

    @Test
    void tokenPrintsAFreshTokenAndRefreshesWhenDue() {
        Credentials c = login();
        assertThat(Cli.run(new TokenCommand("test"), home.console(), url.toString())).isZero();
        assertThat(home.out().strip()).isEqualTo(c.accessToken());
        home.out.reset();
        clock.advance(Duration.ofHours(24));
        assertThat(Cli.run(new TokenCommand("test"), home.console(), url.toString())).isZero();
        String next = home.out().strip();
        assertThat(next).isNotEqualTo(c.accessToken());
        assertThat(fake.accessTokenLive(next)).isTrue();
        assertThat(home.err()).doesNotContain(next);
    }

    @Test
    void tokenWhenSignedOutIsExitThree() {
        assertThat(Cli.run(new TokenCommand("test"), home.console(), url.toString())).isEqualTo(3);
        assertThat(home.out()).isEmpty();
    }

    @Test
    void logoutRevokesDeletesAndKeepsTheClient() {
        Credentials c = login();
        assertThat(Cli.run(new LogoutCommand("test"), home.console(), url.toString())).isZero();
        assertThat(fake.revocations.get()).isEqualTo(1);
        assertThat(fake.refreshTokenLive(c.refreshToken())).isFalse();
        assertThat(fake.accessTokenLive(c.accessToken())).isFalse();
        assertThat(core().store().load(url)).isNull();
        assertThat(core().store().loadClient(url)).isNotNull();
        assertThat(home.err()).contains("Logged out of " + url);
    }

    @Test
    void logoutForgetClientDeletesTheRegistration() {
        login();
        ClientRegistration client = core().store().loadClient(url);
        assertThat(Cli.run(new LogoutCommand("test"), home.console(), url.toString(), "--forget-client")).isZero();
        assertThat(fake.clientDeletes.get()).isEqualTo(1);
        assertThat(core().store().loadClient(url)).isNull();
        assertThat(client.registrationClientUri()).isNotNull();
    }

    @Test
    void logoutOfflineDeletesLocallyWithANotice() {
        login();
        server.close();
        assertThat(Cli.run(new LogoutCommand("test"), home.console(), url.toString())).isZero();
        assertThat(core().store().load(url)).isNull();
        assertThat(home.err()).contains("deleted locally only");
    }

    @Test
    void secretsAppearOnlyInTheCredentialsFileAndTokenStdout() throws Exception {
        Credentials first = login();
        clock.advance(Duration.ofHours(24));
        assertThat(Cli.run(new TokenCommand("test"), home.console(), url.toString())).isZero();
        Credentials second = core().store().load(url);
        assertThat(Cli.run(new StatusCommand("test"), home.console(), "--json")).isZero();
        String tokenOut = home.out().lines().findFirst().orElseThrow();
        assertThat(tokenOut).isEqualTo(second.accessToken());
        List<String> secrets = List.of(first.accessToken(), first.refreshToken(), second.accessToken(), second.refreshToken());
        for (String secret : secrets) {
            assertThat(home.err()).doesNotContain(secret);
            assertThat(home.out().substring(tokenOut.length())).doesNotContain(secret);
        }
        try (var files = java.nio.file.Files.walk(home.root)) {
            for (Path f : (Iterable<Path>) files.filter(java.nio.file.Files::isRegularFile)::iterator) {
                if (f.equals(core().store().credentialsFile(url))) {
                    continue;
                }
                String text = java.nio.file.Files.readString(f);
                for (String secret : secrets) {
                    assertThat(text).as(f.toString()).doesNotContain(secret);
                }
            }
        }
        assertThat(Cli.run(new LogoutCommand("test"), home.console(), url.toString())).isZero();
        for (String secret : secrets) {
            assertThat(home.err()).doesNotContain(secret);
        }
    }

    @Test
    void statusOfAnExpiredSessionIsExitThree() {
        Credentials c = login();
        core().store().save(c.markExpired());
        assertThat(Cli.run(new StatusCommand("test"), home.console(), url.toString(), "--json")).isEqualTo(3);
        assertThat(Json.parseObject(home.out())).containsEntry("state", "expired");
    }

    @Test
    void helpOnEveryCommand() {
        assertThat(new StatusCommand("test").help()).startsWith("Usage: coder-ssh status").contains("--check");
        assertThat(new TokenCommand("test").help()).startsWith("Usage: coder-ssh token").contains("--url");
        assertThat(new LogoutCommand("test").help()).startsWith("Usage: coder-ssh logout").contains("--forget-client");
        // Nothing named and nothing signed in: the fix is to sign in.
        assertThat(Cli.run(new TokenCommand("test"), home.console())).isEqualTo(3);
    }
}
