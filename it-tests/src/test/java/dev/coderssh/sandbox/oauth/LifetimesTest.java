package dev.coderssh.sandbox.oauth;

import static dev.coderssh.sandbox.oauth.OAuthProviderTest.error;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.it.fixture.SandboxClient;
import dev.coderssh.it.fixture.SandboxExtension;
import dev.coderssh.it.fixture.TestClock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Code, access and refresh lifetimes on a hand-moved clock; resource indicators. */
class LifetimesTest {
  static final TestClock CLOCK = new TestClock();
  @RegisterExtension
  static final SandboxExtension SANDBOX = SandboxExtension.with(o -> o.withClock(CLOCK)
      .withAccessTtl(Duration.ofHours(1)).withRefreshTtl(Duration.ofDays(30)));

  private SandboxClient client() {
    return SANDBOX.client();
  }

  @Test
  void codesExpireAfterTenMinutes() {
    SandboxClient.Registration reg = client().registerPublic(null);
    SandboxClient.Pkce pkce = client().pkce();
    String code = SandboxClient.query(client().authorize(client().authorizeUrl(reg.clientId(), SandboxClient.REDIRECT,
        null, pkce.challenge(), "x"), true)).get("code");
    CLOCK.advance(Duration.ofMinutes(10).plusSeconds(1));
    assertThat(error(client().token(Map.of("grant_type", "authorization_code", "client_id", reg.clientId(), "code",
        code, "code_verifier", pkce.verifier(), "redirect_uri", SandboxClient.REDIRECT)), 400)).isEqualTo("invalid_grant");
  }

  @Test
  void accessTokensExpireAndEachRefreshResetsTheRefreshLifetime() {
    SandboxClient.Tokens t = client().login(null);
    assertThat(t.expiresIn()).isEqualTo(3600);
    CLOCK.advance(Duration.ofMinutes(61));
    assertThat(client().get("/api/v2/users/me", t.accessToken()).statusCode()).isEqualTo(401);
    CLOCK.advance(Duration.ofDays(20));
    SandboxClient.Tokens second = client().refresh(t);
    CLOCK.advance(Duration.ofDays(20));
    SandboxClient.Tokens third = client().refresh(second);
    assertThat(client().get("/api/v2/users/me", third.accessToken()).statusCode()).isEqualTo(200);
    CLOCK.advance(Duration.ofDays(30).plusSeconds(1));
    assertThat(error(client().token(Map.of("grant_type", "refresh_token", "client_id", third.clientId(),
        "refresh_token", third.refreshToken())), 400)).isEqualTo("invalid_grant");
  }

  @Test
  void aResourceSentAtAuthorizeMustBeRepeatedAtTheTokenEndpoint() {
    SandboxClient.Registration reg = client().registerPublic(null);
    SandboxClient.Pkce pkce = client().pkce();
    String url = client().authorizeUrl(reg.clientId(), SandboxClient.REDIRECT, null, pkce.challenge(), "x")
        + "&resource=" + SandboxClient.enc(SANDBOX.url());
    String code = SandboxClient.query(client().authorize(url, true)).get("code");
    assertThat(error(client().token(Map.of("grant_type", "authorization_code", "client_id", reg.clientId(), "code",
        code, "code_verifier", pkce.verifier(), "redirect_uri", SandboxClient.REDIRECT)), 400)).isEqualTo("invalid_target");
    String code2 = SandboxClient.query(client().authorize(url, true)).get("code");
    assertThat(client().token(Map.of("grant_type", "authorization_code", "client_id", reg.clientId(), "code", code2,
        "code_verifier", pkce.verifier(), "redirect_uri", SandboxClient.REDIRECT, "resource", SANDBOX.url()))
        .statusCode()).isEqualTo(200);
    String bad = client().authorizeUrl(reg.clientId(), SandboxClient.REDIRECT, null, pkce.challenge(), "x")
        + "&resource=relative";
    assertThat(SandboxClient.query(client().authorize(bad, true))).containsEntry("error", "invalid_target");
  }

  @Test
  void aClientSecretInTheQueryStringIsRefused() {
    var r = client().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(SANDBOX.url()
        + "/oauth2/tokens?client_secret=s")).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=refresh_token")).build());
    assertThat(error(r, 400)).isEqualTo("invalid_request");
  }
}
