package dev.coderssh.sandbox.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.it.fixture.SandboxClient;
import dev.coderssh.it.fixture.SandboxExtension;
import dev.coderssh.sandbox.Sandbox;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** DCR off: no registration_endpoint, /oauth2/register is 404, admin-created apps still sign in. */
class DcrOffTest {
  @RegisterExtension
  static final SandboxExtension SANDBOX = SandboxExtension.with(o -> o.withDcr(false));

  @Test
  void registrationIsGoneButAnAdminCreatedAppWorks() {
    SandboxClient c = SANDBOX.client();
    assertThat(SandboxClient.json(c.get("/.well-known/oauth-authorization-server", null).body()))
        .doesNotContainKey("registration_endpoint").containsKey("token_endpoint");
    assertThat(c.postJson("/oauth2/register", null, "{\"redirect_uris\":[\"http://127.0.0.1/callback\"]}")
        .statusCode()).isEqualTo(404);
    Sandbox.AppCredentials app = SANDBOX.sandbox().createApp("IDE", List.of(SandboxClient.REDIRECT), true, null);
    SandboxClient.Pkce pkce = c.pkce();
    String code = SandboxClient.query(c.authorize(c.authorizeUrl(app.clientId(), SandboxClient.REDIRECT, null,
        pkce.challenge(), "x"), true)).get("code");
    var r = c.postForm("/oauth2/tokens", Map.of("grant_type", "authorization_code", "code", code, "code_verifier",
        pkce.verifier(), "redirect_uri", SandboxClient.REDIRECT), app.clientId() + ":" + app.clientSecret());
    assertThat(r.statusCode()).isEqualTo(200);
  }
}
