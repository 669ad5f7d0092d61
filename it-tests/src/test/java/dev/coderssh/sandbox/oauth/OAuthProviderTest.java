package dev.coderssh.sandbox.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.it.fixture.SandboxClient;
import dev.coderssh.it.fixture.SandboxClient.Pkce;
import dev.coderssh.it.fixture.SandboxClient.Registration;
import dev.coderssh.it.fixture.SandboxClient.Tokens;
import dev.coderssh.it.fixture.SandboxExtension;
import dev.coderssh.sandbox.Profile;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The OAuth2 provider over real HTTP, against coder-oauth2-provider.md. */
class OAuthProviderTest {
  @RegisterExtension
  static final SandboxExtension SANDBOX = SandboxExtension.profile(Profile.CURRENT, o -> o);

  private SandboxClient client() {
    return SANDBOX.client();
  }

  @Test
  @SuppressWarnings("unchecked")
  void metadataListsEndpointsAndRegistrationWhileDcrIsOn() {
    Map<String, Object> m = SandboxClient.json(client().get("/.well-known/oauth-authorization-server", null).body());
    String url = SANDBOX.url();
    assertThat(m).containsEntry("issuer", url).containsEntry("token_endpoint", url + "/oauth2/tokens")
        .containsEntry("authorization_endpoint", url + "/oauth2/authorize")
        .containsEntry("revocation_endpoint", url + "/oauth2/revoke")
        .containsEntry("registration_endpoint", url + "/oauth2/register")
        .containsEntry("code_challenge_methods_supported", List.of("S256"))
        .containsEntry("grant_types_supported", List.of("authorization_code", "refresh_token"));
    assertThat((List<Object>) m.get("scopes_supported")).contains("coder:workspaces.access", "workspace:ssh", "coder:all");
    Map<String, Object> pr = SandboxClient.json(client().get("/.well-known/oauth-protected-resource", null).body());
    assertThat(pr).containsEntry("resource", url).containsEntry("authorization_servers", List.of(url))
        .containsEntry("bearer_methods_supported", List.of("header", "query"));
    assertThat((List<Object>) m.get("token_endpoint_auth_methods_supported"))
        .containsExactly("client_secret_basic", "client_secret_post", "none");
    // coderd.go New(): buildinfo's fields, and no word on the OAuth2 provider.
    Map<String, Object> info = SandboxClient.json(client().get("/api/v2/buildinfo", null).body());
    assertThat(info).containsOnlyKeys("external_url", "version", "agent_api_version", "provisioner_api_version",
        "dashboard_url", "workspace_proxy", "upgrade_message", "deployment_id", "webpush_public_key", "telemetry")
        .containsEntry("version", "v2.38.1");
  }

  @Test
  void registrationReturnsCredentialsAndSupportsRfc7592() {
    HttpResponse<String> r = client().postJson("/oauth2/register", null, "{\"redirect_uris\":[\"http://127.0.0.1/callback\"],"
        + "\"client_name\":\"conf\",\"scope\":\"coder:workspaces.access\"}");
    assertThat(r.statusCode()).isEqualTo(201);
    Map<String, Object> reg = SandboxClient.json(r.body());
    assertThat(reg).containsKeys("client_id", "client_secret", "registration_access_token", "client_id_issued_at")
        .containsEntry("token_endpoint_auth_method", "client_secret_basic").containsEntry("client_secret_expires_at", 0)
        .containsEntry("registration_client_uri", SANDBOX.url() + "/oauth2/clients/" + reg.get("client_id"));
    String path = "/oauth2/clients/" + reg.get("client_id");
    assertThat(client().get(path, null).statusCode()).isEqualTo(401);
    var get = client().send(java.net.http.HttpRequest.newBuilder(URI.create(SANDBOX.url() + path))
        .header("Authorization", "Bearer " + reg.get("registration_access_token")).GET().build());
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(SandboxClient.json(get.body())).containsEntry("client_name", "conf");
    var put = client().send(java.net.http.HttpRequest.newBuilder(URI.create(SANDBOX.url() + path))
        .header("Authorization", "Bearer " + reg.get("registration_access_token"))
        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"client_id\":\"" + reg.get("client_id")
            + "\",\"client_name\":\"renamed\",\"redirect_uris\":[\"http://127.0.0.1/cb2\"]}")).build());
    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(SandboxClient.json(put.body())).containsEntry("client_name", "renamed")
        .containsEntry("client_secret", reg.get("client_secret"));
    var del = client().send(java.net.http.HttpRequest.newBuilder(URI.create(SANDBOX.url() + path))
        .header("Authorization", "Bearer " + reg.get("registration_access_token")).DELETE().build());
    assertThat(del.statusCode()).isEqualTo(204);
    assertThat(client().stats()).containsEntry("registrations", 1);
  }

  @Test
  void registrationErrors() {
    assertThat(error(client().postJson("/oauth2/register", null, "{\"redirect_uris\":[]}"), 400))
        .isEqualTo("invalid_redirect_uri");
    assertThat(error(client().postJson("/oauth2/register", null,
        "{\"redirect_uris\":[\"http://evil.example/cb\"]}"), 400)).isEqualTo("invalid_redirect_uri");
    assertThat(error(client().postJson("/oauth2/register", null,
        "{\"redirect_uris\":[\"http://127.0.0.1/cb\"],\"token_endpoint_auth_method\":\"private_key_jwt\"}"), 400))
        .isEqualTo("invalid_client_metadata");
    assertThat(error(client().postJson("/oauth2/register", null, "not json"), 400)).isEqualTo("invalid_client_metadata");
    assertThat(error(client().postJson("/oauth2/register", null,
        "{\"redirect_uris\":[\"http://127.0.0.1/cb\"],\"scope\":\"openid\"}"), 400)).isEqualTo("invalid_client_metadata");
  }

  @Test
  void signInConsentAndExchangeGiveAWorkingTokenWithTheLoopbackPortIgnored() {
    Registration reg = client().registerPublic(null);
    Pkce pkce = client().pkce();
    String redirect = "http://127.0.0.1:48123/callback";
    String consent = client().consentPage(client().authorizeUrl(reg.clientId(), redirect,
        "coder:workspaces.access user:read", pkce.challenge(), "s1"));
    assertThat(consent).contains("<li>coder:workspaces.access</li>", "<li>user:read</li>", "Allow",
        "csrf_token", "id=\"cancel\"");
    URI cb = client().authorize(client().authorizeUrl(reg.clientId(), redirect,
        "coder:workspaces.access user:read", pkce.challenge(), "s1"), true);
    assertThat(cb.getPort()).isEqualTo(48123);
    assertThat(cb.getPath()).isEqualTo("/callback");
    Map<String, String> q = SandboxClient.query(cb);
    assertThat(q).containsEntry("state", "s1");
    assertThat(q.get("code")).matches("coder_[A-Za-z0-9]{10}_[A-Za-z0-9]{40}");
    HttpResponse<String> r = client().token(Map.of("grant_type", "authorization_code", "client_id", reg.clientId(),
        "code", q.get("code"), "code_verifier", pkce.verifier(), "redirect_uri", redirect));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    Map<String, Object> t = SandboxClient.json(r.body());
    assertThat((String) t.get("access_token")).matches("[A-Za-z0-9]{10}-[A-Za-z0-9]{22}");
    assertThat((String) t.get("refresh_token")).startsWith("coder_");
    assertThat(t).containsEntry("token_type", "Bearer").containsEntry("expires_in", 86400)
        .containsEntry("scope", "coder:workspaces.access user:read").containsKey("expiry");
    HttpResponse<String> me = client().get("/api/v2/users/me", (String) t.get("access_token"));
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(SandboxClient.json(me.body())).containsEntry("username", "demo");
    // The code is single use.
    HttpResponse<String> replay = client().token(Map.of("grant_type", "authorization_code", "client_id",
        reg.clientId(), "code", q.get("code"), "code_verifier", pkce.verifier(), "redirect_uri", redirect));
    assertThat(error(replay, 400)).isEqualTo("invalid_grant");
    assertThat(client().stats()).containsEntry("token_requests", Map.of("authorization_code", 2, "refresh_token", 0))
        .containsEntry("token_errors", Map.of("invalid_grant", 1))
        // one view for consentPage(), two for authorize(): before and after signing in
        .containsEntry("authorize_views", 3);
  }

  @Test
  void cancelRedirectsWithAccessDenied() {
    Registration reg = client().registerPublic(null);
    URI cb = client().authorize(client().authorizeUrl(reg.clientId(), SandboxClient.REDIRECT, null,
        client().pkce().challenge(), "s2"), false);
    assertThat(SandboxClient.query(cb)).containsEntry("error", "access_denied").containsEntry("state", "s2");
  }

  @Test
  void pkceIsMandatoryAndPlainIsRefused() {
    Registration reg = client().registerPublic(null);
    URI noChallenge = client().authorize(client().authorizeUrl(reg.clientId(), SandboxClient.REDIRECT, null, null, "x"),
        true);
    assertThat(SandboxClient.query(noChallenge)).containsEntry("error", "invalid_request");
    String plain = client().authorizeUrl(reg.clientId(), SandboxClient.REDIRECT, null, client().pkce().challenge(), "x")
        .replace("code_challenge_method=S256", "code_challenge_method=plain");
    assertThat(SandboxClient.query(client().authorize(plain, true))).containsEntry("error", "invalid_request");
    Pkce pkce = client().pkce();
    String code = SandboxClient.query(client().authorize(client().authorizeUrl(reg.clientId(), SandboxClient.REDIRECT,
        null, pkce.challenge(), "x"), true)).get("code");
    HttpResponse<String> wrong = client().token(Map.of("grant_type", "authorization_code", "client_id", reg.clientId(),
        "code", code, "code_verifier", client().pkce().verifier(), "redirect_uri", SandboxClient.REDIRECT));
    assertThat(error(wrong, 400)).isEqualTo("invalid_grant");
  }

  @Test
  void unknownClientOrRedirectIsAPlainPageAndUnknownScopeGoesToTheCallback() {
    Registration reg = client().registerPublic("coder:workspaces.access");
    HttpResponse<String> unknown = client().get("/oauth2/authorize?response_type=code&client_id=nope", null);
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.headers().firstValue("Location")).isEmpty();
    String badRedirect = client().authorizeUrl(reg.clientId(), "http://127.0.0.1/other", null,
        client().pkce().challenge(), "x");
    assertThat(client().get(badRedirect.substring(SANDBOX.url().length()), null).statusCode()).isEqualTo(400);
    URI unknownScope = client().authorize(client().authorizeUrl(reg.clientId(), SandboxClient.REDIRECT, "openid",
        client().pkce().challenge(), "x"), true);
    assertThat(SandboxClient.query(unknownScope)).containsEntry("error", "invalid_scope");
    URI beyondCeiling = client().authorize(client().authorizeUrl(reg.clientId(), SandboxClient.REDIRECT,
        "workspace:delete", client().pkce().challenge(), "x"), true);
    assertThat(SandboxClient.query(beyondCeiling)).containsEntry("error", "invalid_scope");
  }

  @Test
  void noScopeAndNoCeilingGivesCoderAllAndACeilingGivesTheCeiling() {
    assertThat(client().login(null).scope()).isEqualTo("coder:all");
    Registration reg = client().registerPublic("coder:workspaces.access");
    Pkce pkce = client().pkce();
    String code = SandboxClient.query(client().authorize(client().authorizeUrl(reg.clientId(), SandboxClient.REDIRECT,
        null, pkce.challenge(), "x"), true)).get("code");
    assertThat(client().exchange(reg.clientId(), code, pkce).scope()).isEqualTo("coder:workspaces.access");
  }

  @Test
  void refreshTokensAreSingleUseAndRotateAndAReuseEndsTheSession() {
    Tokens first = client().login("coder:workspaces.access user:read");
    Tokens second = client().refresh(first);
    assertThat(second.refreshToken()).isNotEqualTo(first.refreshToken());
    assertThat(second.accessToken()).isNotEqualTo(first.accessToken());
    assertThat(client().get("/api/v2/users/me", first.accessToken()).statusCode()).isEqualTo(401);
    assertThat(client().get("/api/v2/users/me", second.accessToken()).statusCode()).isEqualTo(200);
    HttpResponse<String> reuse = client().token(Map.of("grant_type", "refresh_token", "client_id", first.clientId(),
        "refresh_token", first.refreshToken()));
    assertThat(error(reuse, 400)).isEqualTo("invalid_grant");
    // The harsher reading of an undocumented case: a reused rotated token kills its successor too.
    assertThat(client().get("/api/v2/users/me", second.accessToken()).statusCode()).isEqualTo(401);
    assertThat(client().token(Map.of("grant_type", "refresh_token", "client_id", first.clientId(),
        "refresh_token", second.refreshToken())).statusCode()).isEqualTo(400);
  }

  @Test
  void twoConcurrentRefreshesWithOneTokenGiveOneSuccessAndOneInvalidGrant() throws Exception {
    for (int round = 0; round < 5; round++) {
      Tokens t = client().login(null);
      CountDownLatch go = new CountDownLatch(1);
      Map<String, String> form = Map.of("grant_type", "refresh_token", "client_id", t.clientId(), "refresh_token",
          t.refreshToken());
      List<CompletableFuture<HttpResponse<String>>> calls = List.of(
          CompletableFuture.supplyAsync(() -> await(go, () -> client().token(form))),
          CompletableFuture.supplyAsync(() -> await(go, () -> client().token(form))));
      go.countDown();
      List<Integer> statuses = calls.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).sorted().toList();
      assertThat(statuses).containsExactly(200, 400);
      HttpResponse<String> loser = calls.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 400)
          .findFirst().orElseThrow();
      assertThat(error(loser, 400)).isEqualTo("invalid_grant");
    }
  }

  @Test
  void twentyFourConcurrentRefreshesWithOneTokenGiveExactlyOneSuccess() {
    Tokens t = client().login(null);
    CountDownLatch go = new CountDownLatch(1);
    Map<String, String> form = Map.of("grant_type", "refresh_token", "client_id", t.clientId(), "refresh_token",
        t.refreshToken());
    List<CompletableFuture<HttpResponse<String>>> calls = new java.util.ArrayList<>();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(24);
    try {
      for (int i = 0; i < 24; i++) {
        calls.add(CompletableFuture.supplyAsync(() -> await(go, () -> client().token(form)), pool));
      }
      go.countDown();
      Map<Integer, Long> byStatus = calls.stream().map(CompletableFuture::join).collect(
          java.util.stream.Collectors.groupingBy(HttpResponse::statusCode, java.util.stream.Collectors.counting()));
      assertThat(byStatus).isEqualTo(Map.of(200, 1L, 400, 23L));
    } finally {
      pool.shutdown();
    }
    // The losers reused a rotated token, which ends the session the winner started.
    assertThat(client().stats()).containsEntry("valid_access_tokens", 0);
  }

  @Test
  void theScopeParameterAtTheTokenEndpointIsIgnored() {
    Tokens t = client().login("coder:workspaces.access user:read");
    HttpResponse<String> widen = client().token(Map.of("grant_type", "refresh_token", "client_id", t.clientId(),
        "refresh_token", t.refreshToken(), "scope", "coder:all"));
    assertThat(widen.statusCode()).isEqualTo(200);
    Map<String, Object> wide = SandboxClient.json(widen.body());
    assertThat(wide).containsEntry("scope", "coder:workspaces.access user:read");
    HttpResponse<String> narrow = client().token(Map.of("grant_type", "refresh_token", "client_id", t.clientId(),
        "refresh_token", (String) wide.get("refresh_token"), "scope", "workspace:read"));
    assertThat(narrow.statusCode()).isEqualTo(200);
    String access = (String) SandboxClient.json(narrow.body()).get("access_token");
    assertThat(SandboxClient.json(narrow.body())).containsEntry("scope", "coder:workspaces.access user:read");
    assertThat(client().get("/api/v2/users/me", access).statusCode()).isEqualTo(200);
  }

  @Test
  void aNewExchangeDeletesThePreviousTokenOfTheSameUserAndApp() {
    Registration reg = client().registerPublic(null);
    Tokens first = signIn(reg);
    Tokens second = signIn(reg);
    assertThat(client().get("/api/v2/users/me", first.accessToken()).statusCode()).isEqualTo(401);
    assertThat(client().get("/api/v2/users/me", second.accessToken()).statusCode()).isEqualTo(200);
    assertThat(client().refresh(second).accessToken()).isNotNull();
  }

  @Test
  void confidentialClientsMustAuthenticate() {
    HttpResponse<String> r = client().postJson("/oauth2/register", null,
        "{\"redirect_uris\":[\"http://127.0.0.1/callback\"]}");
    Map<String, Object> reg = SandboxClient.json(r.body());
    String id = (String) reg.get("client_id");
    Pkce pkce = client().pkce();
    String code = SandboxClient.query(client().authorize(client().authorizeUrl(id, SandboxClient.REDIRECT, null,
        pkce.challenge(), "x"), true)).get("code");
    Map<String, String> form = Map.of("grant_type", "authorization_code", "code", code, "code_verifier",
        pkce.verifier(), "redirect_uri", SandboxClient.REDIRECT);
    HttpResponse<String> bad = client().postForm("/oauth2/tokens", form, id + ":wrong");
    assertThat(error(bad, 401)).isEqualTo("invalid_client");
    assertThat(bad.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"coder\"");
    HttpResponse<String> good = client().postForm("/oauth2/tokens", form, id + ":" + reg.get("client_secret"));
    assertThat(good.statusCode()).isEqualTo(200);
    String refresh = (String) SandboxClient.json(good.body()).get("refresh_token");
    HttpResponse<String> post = client().postForm("/oauth2/tokens", Map.of("grant_type", "refresh_token",
        "refresh_token", refresh, "client_id", id, "client_secret", (String) reg.get("client_secret")), null);
    assertThat(post.statusCode()).isEqualTo(200);
  }

  @Test
  void tokenEndpointErrors() {
    assertThat(error(client().token(Map.of("client_id", "x")), 400)).isEqualTo("invalid_request");
    assertThat(error(client().token(Map.of("grant_type", "client_credentials")), 400))
        .isEqualTo("unsupported_grant_type");
    assertThat(error(client().token(Map.of("grant_type", "refresh_token", "client_id", "nope",
        "refresh_token", "coder_a_b")), 401)).isEqualTo("invalid_client");
  }

  @Test
  void revokingARefreshTokenKillsItsAccessToken() {
    Tokens t = client().login(null);
    HttpResponse<String> r = client().postForm("/oauth2/revoke", Map.of("client_id", t.clientId(), "token",
        t.refreshToken()), null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(client().get("/api/v2/users/me", t.accessToken()).statusCode()).isEqualTo(401);
    assertThat(client().token(Map.of("grant_type", "refresh_token", "client_id", t.clientId(), "refresh_token",
        t.refreshToken())).statusCode()).isEqualTo(400);
    assertThat(client().postForm("/oauth2/revoke", Map.of("client_id", t.clientId(), "token",
        "coder_unknown_token"), null).statusCode()).isEqualTo(200);
    assertThat(client().postForm("/oauth2/revoke", Map.of("client_id", t.clientId(), "token", "garbage"), null)
        .statusCode()).isEqualTo(400);
    assertThat(client().postForm("/oauth2/revoke", Map.of("client_id", "unknown", "token", t.refreshToken()), null)
        .statusCode()).isEqualTo(401);
    assertThat(client().stats()).containsEntry("revocations", 2).containsEntry("valid_access_tokens", 0);
  }

  @Test
  void statsHaveExactlyTheDocumentedShape() {
    assertThat(client().stats()).containsOnlyKeys("token_requests", "token_errors", "registrations", "revocations",
        "authorize_views", "builds_started", "valid_access_tokens", "usage_reports", "denied");
  }

  private Tokens signIn(Registration reg) {
    Pkce pkce = client().pkce();
    String code = SandboxClient.query(client().authorize(client().authorizeUrl(reg.clientId(), SandboxClient.REDIRECT,
        null, pkce.challenge(), "x"), true)).get("code");
    return client().exchange(reg.clientId(), code, pkce);
  }

  static String error(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return (String) SandboxClient.json(r.body()).get("error");
  }

  private static <T> T await(CountDownLatch latch, java.util.function.Supplier<T> call) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return call.get();
  }
}
