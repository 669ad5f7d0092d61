package dev.coderssh.core.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.command.LoginCommand;
import dev.coderssh.core.command.LogoutCommand;
import dev.coderssh.core.command.TokenCommand;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.store.ClientRegistration;
import dev.coderssh.core.store.CredentialStore;
import dev.coderssh.core.store.Credentials;
import dev.coderssh.core.testing.Cli;
import dev.coderssh.core.testing.FakeCoder;
import dev.coderssh.core.testing.HttpsDeployment;
import dev.coderssh.core.testing.MutableClock;
import dev.coderssh.core.testing.TestHome;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An https deployment whose metadata (or registration answer, or a stored sign-in) names a plain
 * http:// endpoint on another host: no request reaches that endpoint, and sign-in stops in one
 * line before anything secret is sent. The endpoint's host, {@code coder.test}, is reached through
 * an HTTP proxy (HTTP_PROXY), a MockWebServer that records every request it gets.
 */
class InsecureEndpointTest {
    static final String EVIL = "http://coder.test";
    static final Instant NOW = Instant.parse("2026-11-01T10:00:00Z");
    @TempDir
    Path tmp;
    FakeCoder fake;
    HttpsDeployment https;
    MockWebServer trap;
    final List<String> trapped = new ArrayList<>();
    TestHome home;

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeCoder();
        https = new HttpsDeployment(tmp, fake);
        trap = new MockWebServer();
        trap.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                synchronized (trapped) {
                    trapped.add(r.getMethod() + " " + r.getUrl() + " " + r.getHeaders().get("Authorization") + " "
                            + (r.getBody() == null ? "" : r.getBody().utf8()));
                }
                return FakeCoder.json(200, "{\"access_token\":\"stolen\",\"token_type\":\"Bearer\",\"expires_in\":60,"
                        + "\"refresh_token\":\"stolen-r\",\"client_id\":\"stolen-c\"}");
            }
        });
        trap.start();
        home = new TestHome(tmp, new MutableClock(NOW));
        home.env.put("HTTP_PROXY", "http://127.0.0.1:" + trap.getPort());
    }

    @AfterEach
    void tearDown() {
        https.close();
        trap.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"token_endpoint", "revocation_endpoint", "registration_endpoint", "authorization_endpoint"})
    void aMetadataEndpointInClearStopsSignInBeforeAnySecret(String member) {
        String path = switch (member) {
            case "token_endpoint" -> "/oauth2/tokens";
            case "revocation_endpoint" -> "/oauth2/revoke";
            case "registration_endpoint" -> "/oauth2/register";
            default -> "/oauth2/authorize";
        };
        fake.extraMetadata.put(member, EVIL + path);
        TlsLoginTest.TrustingBrowser browser = new TlsLoginTest.TrustingBrowser(https.clientTrust);

        int login = login(browser);
        // What would follow a sign-in that went through: the refresh token to the revocation endpoint.
        Cli.run(new LogoutCommand("test"), home.console(), https.url, "--tls-ca-file", https.caFile.toString());

        assertThat(trapped).as("requests that reached %s", EVIL).isEmpty();
        assertThat(login).isEqualTo(1);
        String name = member.replace('_', ' ');
        assertThat(home.err().lines().filter(l -> l.startsWith("coder-ssh:")).findFirst().orElse(""))
                .isEqualTo("coder-ssh: refusing to sign in to " + https.url + ": its OAuth metadata's " + name + " "
                        + EVIL + path + " is plain http:// while the deployment uses https://");
        assertThat(fake.registrations.get()).as("nothing registered").isZero();
        assertThat(fake.codeExchanges.get()).isZero();
    }

    @Test
    void aRegistrationClientUriInClearStopsSignInBeforeItsTokenIsStoredOrSent() {
        fake.registrationClientUriBase = EVIL + "/oauth2/clients/";

        int first = login(new TlsLoginTest.TrustingBrowser(https.clientTrust));
        // A stored registration would be read (RFC 7592) by the next login and deleted by --forget-client.
        int second = login(new TlsLoginTest.TrustingBrowser(https.clientTrust));
        Cli.run(new LogoutCommand("test"), home.console(), https.url, "--forget-client", "--tls-ca-file",
                https.caFile.toString());

        assertThat(trapped).as("requests that reached %s", EVIL).isEmpty();
        assertThat(first).as(home.err()).isEqualTo(1);
        assertThat(second).as(home.err()).isEqualTo(1);
        assertThat(home.err()).contains("coder-ssh: refusing to use the registration_client_uri " + EVIL
                + "/oauth2/clients/dcr-");
        assertThat(fake.codeExchanges.get()).isZero();
    }

    @Test
    void aStoredSignInNamingAnEndpointInClearIsNotRefreshedThere() throws Exception {
        // As a sign-in made before the rule was stored it.
        DeploymentUrl url = DeploymentUrl.parse(https.url);
        CredentialStore store = home.services().store();
        String[] client = fake.adminClient();
        store.saveClient(url, new ClientRegistration(url.toString(), ClientRegistration.MANUAL, client[0], client[1],
                "client_secret_basic", null, null, ""));
        String[] pair = fake.issue(client[0], "");
        Instant issued = NOW.minus(Duration.ofHours(25));
        store.save(new Credentials(url.toString(), Credentials.OAUTH, pair[0], pair[1], issued,
                issued.plus(Duration.ofHours(24)), "", "alice", client[0], EVIL + "/oauth2/tokens", EVIL + "/oauth2/revoke",
                false));

        int token = Cli.run(new TokenCommand("test"), home.console(), https.url, "--tls-ca-file", https.caFile.toString());
        Cli.run(new LogoutCommand("test"), home.console(), https.url, "--tls-ca-file", https.caFile.toString());

        assertThat(trapped).as("requests that reached %s", EVIL).isEmpty();
        assertThat(token).isEqualTo(1);
        assertThat(home.out()).isEmpty();
        assertThat(home.err()).contains("coder-ssh: refusing to use the token endpoint " + EVIL + "/oauth2/tokens of "
                + https.url + ": it is plain http:// while the deployment uses https://; nothing secret was sent");
    }

    private int login(TlsLoginTest.TrustingBrowser browser) {
        return Cli.run(new LoginCommand("test", c -> browser, () -> false), home.console(), https.url, "--timeout", "20s",
                "--tls-ca-file", https.caFile.toString());
    }
}
