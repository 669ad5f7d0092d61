package dev.coderssh.core.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.command.LogoutCommand;
import dev.coderssh.core.scope.ScopeCatalog;
import dev.coderssh.core.store.ClientRegistration;
import dev.coderssh.core.store.Credentials;
import dev.coderssh.core.testing.Cli;
import dev.coderssh.core.testing.FakeCoder;
import dev.coderssh.core.testing.FollowingBrowser;
import dev.coderssh.core.testing.Seed;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;

/**
 * Login against both generations of coderd (FakeCoder#current, FakeCoder#legacy): provider
 * detection, loopback redirects where the port is compared, confidential clients, scopes the
 * server lists, a users/me the token may not read, and the rate limiter's plain 429.
 */
class LoginAcrossVersionsTest extends LoginSuite {
    static int port(String uri) {
        return URI.create(uri).getPort();
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void providerOffIs404OnTheNewestAnd403OnOlderServersAndBothOfferTheTokenFallback() {
        for (FakeCoder profile : List.of(fake.current(), fake.legacy())) {
            profile.providerEnabled = false;
            home.err.reset();
            assertThat(login(new FollowingBrowser())).isEqualTo(1);
            assertThat(home.err()).contains("the OAuth2 provider is not enabled on " + url + " (Coder v2.38.0)")
                    .contains(url + "/cli-auth").contains("--token-stdin").doesNotContain("Exception");
            assertThat(store().load(url)).isNull();
        }
    }

    @Test
    void newestServerPublicClientAnyPort() {
        fake.current();
        assertThat(login(new FollowingBrowser())).isZero();
        ClientRegistration client = store().loadClient(url);
        assertThat(client.authMethod()).isEqualTo("none");
        assertThat(fake.redirectUris(client.clientId())).containsExactly(client.redirectUri());
        assertThat(fake.lastAuthorize.get("redirect_uri")).isEqualTo(client.redirectUri());
    }

    @Test
    void legacyServerComparesThePortAndRequiresTheSecret() throws Exception {
        fake.legacy();
        FollowingBrowser first = new FollowingBrowser();
        assertThat(login(first)).isZero();
        ClientRegistration client = store().loadClient(url);
        assertThat(client.authMethod()).isEqualTo("client_secret_basic");
        assertThat(client.clientSecret()).isNotNull();
        // Registered with this login's exact loopback URI, so the compared port matches.
        assertThat(fake.redirectUris(client.clientId())).containsExactly(fake.lastAuthorize.get("redirect_uri"));
        assertThat(first.page.get(30, TimeUnit.SECONDS)).startsWith("200 ");
        assertThat(fake.tokenRequests.get(0)).doesNotContainKey("client_secret");

        // The next login listens on another ephemeral port: the registration is pointed at it first.
        FollowingBrowser second = new FollowingBrowser();
        assertThat(login(second)).isZero();
        assertThat(fake.registrations.get()).isEqualTo(1);
        assertThat(fake.registrationUpdatesMade.get()).isEqualTo(1);
        assertThat(fake.redirectUris(client.clientId())).containsExactly(fake.lastAuthorize.get("redirect_uri"));
        assertThat(store().loadClient(url).redirectUri()).isEqualTo(fake.lastAuthorize.get("redirect_uri"));
        assertThat(second.page.get(30, TimeUnit.SECONDS)).startsWith("200 ");
    }

    @Test
    void withoutRegistrationUpdatesTheRegisteredPortIsReused() {
        fake.legacy();
        assertThat(login(new FollowingBrowser())).isZero();
        String registered = store().loadClient(url).redirectUri();
        fake.registrationUpdates = false;
        assertThat(login(new FollowingBrowser())).isZero();
        assertThat(fake.lastAuthorize.get("redirect_uri")).isEqualTo(registered);
        assertThat(home.err()).contains("using its registered port " + port(registered));
    }

    @Test
    void theRegisteredPortInUseIsOneClearLine() throws Exception {
        fake.legacy();
        assertThat(login(new FollowingBrowser())).isZero();
        String registered = store().loadClient(url).redirectUri();
        fake.registrationUpdates = false;
        try (ServerSocket squatter = new ServerSocket(port(registered), 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            home.err.reset();
            assertThat(login(new FollowingBrowser())).isEqualTo(1);
            assertThat(home.err()).contains("cannot listen on 127.0.0.1:" + port(registered))
                    .contains("the port is in use").doesNotContain("Exception");
        }
    }

    @Test
    void withoutTheFixAPortComparingServerShowsTheBrowserA400() throws Exception {
        // A registration for "any loopback port", as the first coder-ssh made, on a server that
        // compares the port and cannot update it: the browser is refused, login waits in vain.
        fake.legacy();
        fake.registrationUpdates = false;
        ClientRegistration old = home.services().oauth().register(url, url.resolve("/oauth2/register"), "old",
                String.join(" ", ScopeCatalog.DEFAULT), "client_secret_basic", "http://127.0.0.1/callback");
        store().saveClient(url, old.withRedirectUri(null));
        FollowingBrowser browser = new FollowingBrowser();
        assertThat(login(browser, "--timeout", "2s")).isEqualTo(1);
        assertThat(browser.page.get(30, TimeUnit.SECONDS)).isEqualTo("no redirect");
        assertThat(home.err()).contains("timed out");
        assertThat(FollowingBrowser.location(browser.opened.get(0))).isNull();
    }

    /** Logs in with an admin-created app whose one callback URL is {@code callback}; returns the exit code. */
    int loginWithAdminApp(String callback, String... flags) throws Exception {
        String[] app = fake.adminClient(callback);
        Path secret = tmp.resolve("secret");
        Files.writeString(secret, app[1]);
        String[] args = new String[flags.length + 4];
        System.arraycopy(new String[] {"--client-id", app[0], "--client-secret-file", secret.toString()}, 0, args, 0, 4);
        System.arraycopy(flags, 0, args, 4, flags.length);
        return login(new FollowingBrowser(), args);
    }

    @Test
    void adminAppWithOneCallbackPortIsReusedByLaterLogins() throws Exception {
        fake.legacy();
        int p = freePort();
        String callback = "http://127.0.0.1:" + p + "/callback";
        assertThat(loginWithAdminApp(callback, "--callback-port", String.valueOf(p))).isZero();
        assertThat(fake.lastAuthorize.get("redirect_uri")).isEqualTo(callback);
        assertThat(store().loadClient(url).redirectUri()).isEqualTo(callback);
        fake.lastAuthorize = null;
        assertThat(login(new FollowingBrowser())).isZero();
        assertThat(fake.lastAuthorize.get("redirect_uri")).isEqualTo(callback);
        assertThat(fake.registrations.get()).isZero();
    }

    @Test
    void adminAppWithAnotherCallbackPath() throws Exception {
        fake.legacy();
        String callback = "http://127.0.0.1:" + freePort() + "/oauth/done";
        assertThat(loginWithAdminApp(callback, "--redirect-uri", callback)).isZero();
        assertThat(fake.lastAuthorize.get("redirect_uri")).isEqualTo(callback);
    }

    @Test
    void adminAppWithoutItsCallbackPortOnAPortComparingServerIsRefusedByTheBrowser() throws Exception {
        fake.legacy();
        assertThat(loginWithAdminApp("http://127.0.0.1:" + freePort() + "/callback", "--timeout", "2s")).isEqualTo(1);
        assertThat(home.err()).contains("timed out");
    }

    @Test
    void callbackOptionsAreCheckedAsUsage() {
        assertThat(login(new FollowingBrowser(), "--callback-port", "0")).isEqualTo(2);
        assertThat(login(new FollowingBrowser(), "--redirect-uri", "https://example.com/cb")).isEqualTo(2);
        assertThat(login(new FollowingBrowser(), "--callback-port", "8080")).isEqualTo(2);
        assertThat(home.err()).contains("--callback-port must be 1-65535").contains("--redirect-uri must be http://127.0.0.1")
                .contains("are for an admin-created OAuth2 app");
    }

    @Test
    void confidentialClientRefreshesAndRevokesWithItsSecret() {
        fake.legacy();
        assertThat(login(new FollowingBrowser())).isZero();
        Credentials c = store().load(url);
        clock.advance(Duration.ofHours(25));
        String fresh = home.services().tokens().fresh(url).value();
        assertThat(fresh).isNotEqualTo(c.accessToken());
        assertThat(fake.refreshRequests.get()).isEqualTo(1);
        assertThat(fake.tokenRequests.get(1)).doesNotContainKey("client_secret"); // basic header, not the body
        assertThat(Cli.run(new LogoutCommand("test"), home.console(), url.toString())).isZero();
        assertThat(fake.revocations.get()).isPositive();
        assertThat(fake.accessTokenLive(fresh)).isFalse();
    }

    @Test
    void missingScopesSupportedSendsTheWholeDefaultAndExtraMetadataIsIgnored() {
        fake.scopesSupported = null;
        fake.extraMetadata.put("device_authorization_endpoint", "x");
        fake.extraMetadata.put("service_documentation", List.of(1, 2));
        assertThat(login(new FollowingBrowser())).isZero();
        assertThat(fake.lastAuthorize.get("scope")).isEqualTo(String.join(" ", ScopeCatalog.DEFAULT));
        assertThat(home.err()).doesNotContain("Warning");
    }

    @Test
    void aScopeTheServerDoesNotListIsNeverSentAndWhatBreaksIsSaid() {
        fake.scopesSupported = List.of("coder:all", "coder:workspaces.access", "coder:workspaces.operate",
                "workspace:start", "template:read", "user:read_personal");
        assertThat(login(new FollowingBrowser())).isZero();
        String sent = fake.lastAuthorize.get("scope");
        assertThat(sent.split(" ")).doesNotContain("user:read", "workspace:create");
        assertThat(home.err()).contains("start-outdated needs workspace:create")
                .contains("who-am-i needs user:read");
        // users/me answers 404 without user:read: the sign-in is kept, with one line.
        assertThat(home.err()).contains("Note: signed in, but the token may not read your user name (HTTP 404");
        Credentials c = store().load(url);
        assertThat(c.username()).isNull();
        assertThat(fake.accessTokenLive(c.accessToken())).isTrue();
    }

    @Test
    void anExplicitScopeIsSentAsGivenAndItsGapsNamed() {
        assertThat(login(new FollowingBrowser(), "--scope", "coder:workspaces.access user:read")).isZero();
        assertThat(fake.lastAuthorize.get("scope")).isEqualTo("coder:workspaces.access user:read");
        assertThat(home.err()).contains("activity-report needs workspace:update")
                .contains("Signed in to " + url + " as alice");
    }

    @Test
    void rateLimitedExchangeIsOneLineWithTheWait() {
        fake.tokenFaults.add(new MockResponse.Builder().code(429).addHeader("Retry-After", "120")
                .addHeader("Content-Type", "application/json")
                .body("{\"message\":\"You've been rate limited for sending more than 60 requests in 1m0s.\"}").build());
        assertThat(login(new FollowingBrowser())).isEqualTo(1);
        assertThat(home.err().strip().lines().reduce((a, b) -> b).orElse(""))
                .isEqualTo("coder-ssh: rate limited by " + url + "; try again in 120 s");
        assertThat(store().load(url)).isNull();
    }

    @Test
    void rateLimitedRefreshKeepsTheSignIn() {
        Credentials c = Seed.signIn(fake, server, store(), clock.instant(), Duration.ofHours(1));
        for (int i = 0; i < 8; i++) {
            fake.tokenFaults.add(new MockResponse.Builder().code(429).addHeader("Retry-After", "45")
                    .addHeader("Content-Type", "application/json").body("{\"message\":\"You've been rate limited.\"}").build());
        }
        clock.advance(Duration.ofHours(2));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> home.services().tokens().fresh(url))
                .hasMessage("could not refresh the token for " + url + ": rate limited by " + url
                        + "; try again in 45 s; stored sign-in kept");
        assertThat(store().load(url)).isEqualTo(c);
        assertThat(fake.refreshTokenLive(c.refreshToken())).isTrue();
    }
}
