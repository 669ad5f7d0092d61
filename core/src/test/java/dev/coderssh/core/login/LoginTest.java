package dev.coderssh.core.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.command.LoginCommand;
import dev.coderssh.core.scope.ScopeCatalog;
import dev.coderssh.core.store.ClientRegistration;
import dev.coderssh.core.store.Credentials;
import dev.coderssh.core.testing.Cli;
import dev.coderssh.core.testing.FakeCoder;
import dev.coderssh.core.testing.FollowingBrowser;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoginTest extends LoginSuite {
    FollowingBrowser browser;

    @BeforeEach
    void setUp() {
        browser = new FollowingBrowser();
    }

    @Test
    void browserLoginWithPublicDynamicClient() throws Exception {
        assertThat(login(browser)).isZero();
        Credentials c = store().load(url);
        assertThat(c.kind()).isEqualTo("oauth");
        assertThat(c.username()).isEqualTo("alice");
        assertThat(c.scope()).isEqualTo(String.join(" ", ScopeCatalog.DEFAULT));
        assertThat(c.expiresAt()).isEqualTo(Instant.parse("2026-11-02T10:00:00Z"));
        assertThat(fake.accessTokenLive(c.accessToken())).isTrue();
        ClientRegistration client = store().loadClient(url);
        assertThat(client.authMethod()).isEqualTo("none");
        assertThat(client.clientSecret()).isNull();
        // PKCE S256, state of at least 128 bits, loopback redirect
        assertThat(fake.lastAuthorize.get("code_challenge_method")).isEqualTo("S256");
        assertThat(fake.lastAuthorize.get("state")).hasSizeGreaterThanOrEqualTo(22);
        assertThat(fake.lastAuthorize.get("redirect_uri")).matches("http://127\\.0\\.0\\.1:\\d+/callback");
        assertThat(fake.tokenRequests.get(0)).containsKeys("code_verifier", "client_id").doesNotContainKey("client_secret");
        String page = browser.page.get(30, TimeUnit.SECONDS);
        assertThat(page).startsWith("200 ").contains("Signed in to " + url + " as alice. You can close this window.")
                .doesNotContain(c.accessToken()).doesNotContain(c.refreshToken());
        assertThat(home.out()).isEmpty();
        assertThat(home.err()).contains(browser.opened.get(0)).contains("Signed in to " + url + " as alice")
                .doesNotContain(c.accessToken());
        // The listener is gone with the flow: even the right state finds nobody.
        String cb = FollowingBrowser.redirectUri(browser.opened.get(0));
        assertThat(LoopbackReceiverTest.status(cb + "?code=x&state=" + fake.lastAuthorize.get("state"))).isEqualTo(-1);
    }

    @Test
    void secondLoginReusesTheRegistration() {
        assertThat(login(browser)).isZero();
        assertThat(login(new FollowingBrowser())).isZero();
        assertThat(fake.registrations.get()).isEqualTo(1);
    }

    @Test
    void forgottenRegistrationIsReplacedOnce() {
        assertThat(login(browser)).isZero();
        fake.forgetClient(store().loadClient(url).clientId());
        assertThat(login(new FollowingBrowser())).isZero();
        assertThat(fake.registrations.get()).isEqualTo(2);
        assertThat(home.err()).contains("no longer knows");
    }

    @Test
    void widerScopeRegistersANewClientAndDeletesTheOld() {
        assertThat(login(browser)).isZero();
        assertThat(login(new FollowingBrowser(), "--scope", "coder:all")).isZero();
        assertThat(fake.registrations.get()).isEqualTo(2);
        assertThat(fake.clientDeletes.get()).isEqualTo(1);
        assertThat(store().loadClient(url).scope()).isEqualTo("coder:all");
    }

    @Test
    void confidentialDynamicClientUsesBasicWhenNoneIsNotOffered() {
        fake.authMethods = List.of("client_secret_basic", "client_secret_post");
        assertThat(login(browser)).isZero();
        ClientRegistration client = store().loadClient(url);
        assertThat(client.authMethod()).isEqualTo("client_secret_basic");
        assertThat(client.clientSecret()).isNotNull();
        // The secret travels in the Authorization header, never in the form body.
        assertThat(fake.tokenRequests.get(0)).doesNotContainKey("client_secret");
    }

    @Test
    void postOnlyServerGetsThePostedSecret() {
        fake.authMethods = List.of("client_secret_post");
        assertThat(login(browser)).isZero();
        ClientRegistration client = store().loadClient(url);
        assertThat(client.authMethod()).isEqualTo("client_secret_post");
        assertThat(fake.tokenRequests.get(0)).containsEntry("client_secret", client.clientSecret());
    }

    @Test
    void basicOnlyServerGetsBasicAuth() {
        fake.authMethods = List.of("client_secret_basic");
        assertThat(login(browser)).isZero();
        assertThat(store().loadClient(url).authMethod()).isEqualTo("client_secret_basic");
        assertThat(fake.tokenRequests.get(0)).doesNotContainKey("client_secret");
    }

    @Test
    void openIdConfigurationAloneIsNotTheProvider() {
        // Coder publishes RFC 8414 metadata only; that document is the one on/off signal.
        fake.metadataVariant = "oidc";
        assertThat(login(browser)).isEqualTo(1);
        assertThat(home.err()).contains("OAuth2 provider is not enabled").contains("--token-stdin");
    }

    @Test
    void metadataWithoutS256IsRefused() {
        fake.challengeMethods = List.of("plain");
        assertThat(login(browser)).isEqualTo(1);
        assertThat(home.err()).contains("PKCE S256 not offered");
    }

    @Test
    void metadataWithoutRefreshGrantIsRefused() {
        fake.grantTypes = List.of("authorization_code");
        assertThat(login(browser)).isEqualTo(1);
        assertThat(home.err()).contains("refresh_token grants not both offered");
    }

    @Test
    void providerOffOffersTheTokenFallback() {
        fake.providerEnabled = false;
        assertThat(login(browser)).isEqualTo(1);
        assertThat(home.err()).contains("OAuth2 provider is not enabled").contains("/cli-auth").contains("--token-stdin");
    }

    @Test
    void noMetadataAtAllOffersTheTokenFallback() {
        fake.metadataVariant = "none";
        assertThat(login(browser)).isEqualTo(1);
        assertThat(home.err()).contains("--token-stdin");
    }

    @Test
    void dcrOffAsksForAnAdminClient() {
        fake.dcrEnabled = false;
        assertThat(login(browser)).isEqualTo(1);
        assertThat(home.err()).contains("dynamic client registration is off").contains("--client-id");
    }

    @Test
    void dcrErrorIsOneLine() {
        fake.registerFaults.add(FakeCoder.json(400, "{\"error\":\"invalid_client_metadata\",\"error_description\":\"bad scope\"}"));
        assertThat(login(browser)).isEqualTo(1);
        assertThat(home.err()).contains("client registration at " + url + " failed: HTTP 400 invalid_client_metadata: bad scope");
    }

    @Test
    void adminClientFromCommandLine() throws Exception {
        String[] client = fake.adminClient();
        Path secret = tmp.resolve("secret");
        Files.writeString(secret, client[1] + "\n");
        assertThat(login(browser, "--client-id", client[0], "--client-secret-file", secret.toString())).isZero();
        assertThat(fake.registrations.get()).isZero();
        assertThat(store().load(url).clientId()).isEqualTo(client[0]);
        assertThat(home.err()).doesNotContain(client[1]);
    }

    @Test
    void accessDeniedEndsTheFlow() throws Exception {
        fake.authorizeError = "access_denied";
        assertThat(login(browser)).isEqualTo(1);
        assertThat(home.err()).contains("cancelled in the browser (access_denied)");
        assertThat(browser.page.get(30, TimeUnit.SECONDS)).contains("Sign-in cancelled").contains("nothing was stored");
        assertThat(store().load(url)).isNull();
    }

    @Test
    void otherAuthorizationErrorsAreShown() {
        fake.authorizeError = "invalid_scope";
        assertThat(login(browser)).isEqualTo(1);
        assertThat(home.err()).contains("failed: invalid_scope: The user said no");
    }

    @Test
    void hostileCallbacksNeitherCompleteNorCancel() throws Exception {
        List<String> answers = new java.util.ArrayList<>();
        FollowingBrowser hostile = new FollowingBrowser() {
            @Override
            protected void before(String authorizeUrl) throws Exception {
                String cb = redirectUri(authorizeUrl);
                answers.add(get(cb + "?code=evil&state=wrong"));
                answers.add(get(cb + "?code=evil"));
                answers.add(get(cb + "?error=access_denied&state=wrong"));
                answers.add(request("POST", cb + "?code=evil&state=wrong"));
                answers.add(get(cb.replace("/callback", "/other") + "?code=evil"));
            }
        };
        assertThat(login(hostile)).isZero();
        assertThat(answers).hasSize(5);
        assertThat(answers.get(0)).startsWith("400 ");
        assertThat(answers.get(1)).startsWith("400 ");
        assertThat(answers.get(2)).startsWith("400 ");
        assertThat(answers.get(3)).startsWith("405 ");
        assertThat(answers.get(4)).startsWith("404 ");
        assertThat(hostile.page.get(30, TimeUnit.SECONDS)).contains("Signed in");
    }

    @Test
    void replayedCodeIsInvalidGrant() throws Exception {
        FollowingBrowser replay = new FollowingBrowser() {
            @Override
            protected String rewriteCallback(String location) throws Exception {
                // Someone used the code first: the server has consumed it.
                String code = location.replaceAll(".*code=([^&]+).*", "$1");
                okhttp3.OkHttpClient c = new okhttp3.OkHttpClient();
                c.newCall(new okhttp3.Request.Builder().url(url.resolve("/oauth2/tokens"))
                        .post(okhttp3.RequestBody.create("grant_type=authorization_code&code=" + code + "&client_id=" + fake.lastAuthorize.get("client_id"),
                                okhttp3.MediaType.parse("application/x-www-form-urlencoded"))).build()).execute().close();
                return location;
            }
        };
        assertThat(login(replay)).isEqualTo(1);
        assertThat(home.err()).contains("authorization code was rejected (invalid_grant");
        assertThat(store().load(url)).isNull();
    }

    @Test
    void tokenEndpointFailuresDuringExchange() {
        for (int i = 0; i < 4; i++) {
            fake.tokenFaults.add(FakeCoder.json(500, "{\"error\":\"server_error\"}"));
        }
        assertThat(login(browser)).isEqualTo(1);
        assertThat(home.err()).contains("token exchange with " + url + " failed: server_error (HTTP 500)");
        assertThat(store().load(url)).isNull();
    }

    @Test
    void invalidClientAtExchangeForgetsTheRegistration() {
        fake.tokenFaults.add(FakeCoder.json(401, "{\"error\":\"invalid_client\"}"));
        assertThat(login(browser)).isEqualTo(1);
        assertThat(home.err()).contains("no longer knows this installation's OAuth client");
        assertThat(store().loadClient(url)).isNull();
    }

    @Test
    void grantedScopeIsStoredAndShown() {
        fake.grantedScopeOverride = "coder:workspaces.access";
        assertThat(login(browser, "--scope", "coder:all")).isZero();
        assertThat(fake.lastAuthorize.get("scope")).isEqualTo("coder:all");
        assertThat(store().load(url).scope()).isEqualTo("coder:workspaces.access");
        assertThat(home.err()).contains("scopes: coder:workspaces.access");
    }

    @Test
    void tokenStdinStoresAValidatedSessionToken() {
        fake.addSessionToken("abcdefghij-0123456789012345678901");
        home.in = new ByteArrayInputStream("abcdefghij-0123456789012345678901\n".getBytes(StandardCharsets.UTF_8));
        assertThat(login(browser, "--token-stdin")).isZero();
        Credentials c = store().load(url);
        assertThat(c.kind()).isEqualTo("session-token");
        assertThat(c.username()).isEqualTo("alice");
        assertThat(browser.opened).isEmpty();
    }

    @Test
    void tokenStdinRejectsAnUnknownToken() {
        home.in = new ByteArrayInputStream("nope-nope\n".getBytes(StandardCharsets.UTF_8));
        assertThat(login(browser, "--token-stdin")).isEqualTo(3);
        assertThat(store().load(url)).isNull();
    }

    @Test
    void pastedTokenWhileWaitingWins() {
        fake.addSessionToken("pasted-0123456789012345678901");
        home.in = new ByteArrayInputStream("pasted-0123456789012345678901\n".getBytes(StandardCharsets.UTF_8));
        int code = Cli.run(new LoginCommand("test", c -> new FollowingBrowser() {
            @Override
            public void open(String u) {
                opened.add(u); // the user never finishes in the browser
            }
        }, () -> true), home.console(), url.toString());
        assertThat(code).isZero();
        assertThat(store().load(url).kind()).isEqualTo("session-token");
        assertThat(home.err()).contains("/cli-auth");
    }

    @Test
    void timesOutWithoutABrowser() {
        assertThat(login(browser, "--no-browser", "--timeout", "300ms")).isEqualTo(1);
        assertThat(browser.opened).isEmpty();
        assertThat(home.err()).contains("timed out").contains("/oauth2/authorize?");
        String shown = home.err().lines().filter(l -> l.contains("/oauth2/authorize?")).findFirst().orElseThrow().strip();
        assertThat(LoopbackReceiverTest.status(FollowingBrowser.redirectUri(shown) + "?code=x&state=y")).as("closed after a timeout")
                .isEqualTo(-1);
    }

    @Test
    void usageErrors() {
        assertThat(Cli.run(new LoginCommand("test"), home.console())).isEqualTo(2);
        assertThat(login(browser, "--timeout", "soon")).isEqualTo(2);
        assertThat(Cli.run(new LoginCommand("test"), home.console(), "http://coder.example.com")).isEqualTo(2);
        assertThat(new LoginCommand("test").help()).startsWith("Usage: coder-ssh login").contains("--with-token");
    }
}
