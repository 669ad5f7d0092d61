package dev.coderssh.sandbox.oauth;

import static dev.coderssh.sandbox.oauth.OAuthProviderTest.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coderssh.it.fixture.SandboxClient;
import dev.coderssh.it.fixture.SandboxClient.Pkce;
import dev.coderssh.it.fixture.SandboxExtension;
import dev.coderssh.sandbox.Profile;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A server before 2.35: redirect URIs compared by host INCLUDING port and path prefix
 * (httpapi.RedirectURL), no public clients, scopes not enforced, RFC 7592 PUT to re-register.
 */
class LegacyProfileTest {
  @RegisterExtension
  static final SandboxExtension SANDBOX = SandboxExtension.profile(Profile.LEGACY, o -> o);

  private static SandboxClient client() {
    return SANDBOX.client();
  }

  @Test
  void metadataOffersOnlySecretBasedClientAuth() {
    Map<String, Object> m = SandboxClient.json(client().get("/.well-known/oauth-authorization-server", null).body());
    assertThat(m).containsEntry("token_endpoint_auth_methods_supported",
        List.of("client_secret_basic", "client_secret_post"));
    assertThat(SandboxClient.json(client().get("/api/v2/buildinfo", null).body())).doesNotContainKey("oauth2_provider");
  }

  @Test
  void aClientRegisteredAsNoneStillGetsASecretAndMustSendIt() {
    HttpResponse<String> r = client().postJson("/oauth2/register", null, "{\"redirect_uris\":[\""
        + SandboxClient.REDIRECT + "\"],\"token_endpoint_auth_method\":\"none\"}");
    assertThat(r.statusCode()).isEqualTo(201);
    Map<String, Object> reg = SandboxClient.json(r.body());
    assertThat((String) reg.get("client_secret")).startsWith("coder_");
    String id = (String) reg.get("client_id");
    Pkce pkce = client().pkce();
    String code = SandboxClient.query(client().authorize(client().authorizeUrl(id, SandboxClient.REDIRECT, null,
        pkce.challenge(), "x"), true)).get("code");
    Map<String, String> form = Map.of("grant_type", "authorization_code", "client_id", id, "code", code,
        "code_verifier", pkce.verifier(), "redirect_uri", SandboxClient.REDIRECT);
    HttpResponse<String> without = client().postForm("/oauth2/tokens", form, null);
    assertThat(error(without, 401)).isEqualTo("invalid_client");
    assertThat(client().postForm("/oauth2/tokens", form, id + ":" + reg.get("client_secret")).statusCode())
        .isEqualTo(200);
    assertThatThrownBy(() -> SANDBOX.sandbox().createApp("pub", List.of(SandboxClient.REDIRECT), false, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theLoopbackPortMustEqualTheRegisteredOneAndAMismatchIsAPlain400Page() {
    String registered = "http://127.0.0.1:48123/callback";
    SandboxClient.Registration reg = register(registered, "http://127.0.0.1:48200/callback");
    Pkce pkce = client().pkce();
    URI ok = client().authorize(client().authorizeUrl(reg.clientId(), "http://127.0.0.1:48123/callback/x", null,
        pkce.challenge(), "s"), true);
    assertThat(ok.getPort()).isEqualTo(48123);
    assertThat(SandboxClient.query(ok)).containsKey("code");
    for (String bad : List.of("http://127.0.0.1:48124/callback", "http://127.0.0.1:48200/callback",
        "http://127.0.0.1:48123/other")) {
      HttpResponse<String> page = client().get("/oauth2/authorize?response_type=code&client_id=" + reg.clientId()
          + "&code_challenge=" + pkce.challenge() + "&redirect_uri=" + SandboxClient.enc(bad), null);
      assertThat(page.statusCode()).as(bad).isEqualTo(400);
      assertThat(page.headers().firstValue("Location")).as(bad).isEmpty();
      assertThat(page.body()).as(bad).contains("must be a subset of " + registered);
    }
  }

  @Test
  void rfc7592PutReplacesTheRedirectUrisSoTheExactPortCanBeRegisteredBeforeEachFlow() {
    SandboxClient.Registration reg = register("http://127.0.0.1:48123/callback");
    HttpResponse<String> put = client().send(HttpRequest.newBuilder(URI.create(SANDBOX.url() + "/oauth2/clients/"
        + reg.clientId())).header("Authorization", "Bearer " + reg.registrationAccessToken())
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(
            "{\"redirect_uris\":[\"http://127.0.0.1:50999/callback\"],\"token_endpoint_auth_method\":"
                + "\"client_secret_basic\"}")).build());
    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(SandboxClient.json(put.body())).containsEntry("client_secret", reg.clientSecret());
    Pkce pkce = client().pkce();
    URI cb = client().authorize(client().authorizeUrl(reg.clientId(), "http://127.0.0.1:50999/callback", null,
        pkce.challenge(), "s"), true);
    assertThat(cb.getPort()).isEqualTo(50999);
    assertThat(client().get("/oauth2/authorize?response_type=code&client_id=" + reg.clientId() + "&code_challenge="
        + pkce.challenge() + "&redirect_uri=" + SandboxClient.enc("http://127.0.0.1:48123/callback"), null)
        .statusCode()).isEqualTo(400);
  }

  @Test
  void scopesAreNotEnforcedSoANarrowTokenCanDoWhatItsUserCan() {
    SandboxClient.Tokens t = client().login("workspace:read");
    // As the real 2.25.1 and 2.36.1: no scope in the token answer, the key recorded as coder:all.
    assertThat(t.scope()).isNull();
    Map<String, Object> key = SandboxClient.json(client().get("/api/v2/users/me/keys/"
        + t.accessToken().substring(0, t.accessToken().indexOf('-')), t.accessToken()).body());
    assertThat(key).containsEntry("scopes", List.of("coder:all"));
    assertThat(client().get("/api/v2/users/me", t.accessToken()).statusCode()).isEqualTo(200);
    Map<String, Object> ws = SandboxClient.json(client().get("/api/v2/users/me/workspace/dev", t.accessToken())
        .body());
    String agent = (String) ((Map<?, ?>) ((List<?>) ((Map<?, ?>) ((List<?>) ((Map<?, ?>) ws.get("latest_build"))
        .get("resources")).get(0)).get("agents")).get(0)).get("id");
    assertThat(client().get("/api/v2/workspaceagents/" + agent + "/coordinate", t.accessToken()).statusCode())
        .isEqualTo(200);
    assertThat(client().postJson("/api/v2/workspaces/" + ws.get("id") + "/usage", t.accessToken(), "{}")
        .statusCode()).isEqualTo(204);
    assertThat(client().stats()).containsEntry("denied", Map.of()).containsEntry("usage_reports", 1);
  }

  private static SandboxClient.Registration register(String... redirects) {
    HttpResponse<String> r = client().postJson("/oauth2/register", null, "{\"redirect_uris\":[\""
        + String.join("\",\"", redirects) + "\"]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    Map<String, Object> j = SandboxClient.json(r.body());
    return new SandboxClient.Registration((String) j.get("client_id"), (String) j.get("client_secret"),
        (String) j.get("registration_access_token"));
  }
}
