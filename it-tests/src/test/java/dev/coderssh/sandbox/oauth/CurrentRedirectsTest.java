package dev.coderssh.sandbox.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.it.fixture.SandboxClient;
import dev.coderssh.it.fixture.SandboxExtension;
import dev.coderssh.sandbox.Profile;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The newest server's codersdk.RedirectURIMatches over several registered URIs: each matched
 * exactly, except that a loopback http one matches on any port (never on another path).
 */
class CurrentRedirectsTest {
  @RegisterExtension
  static final SandboxExtension SANDBOX = SandboxExtension.profile(Profile.CURRENT, o -> o);

  @Test
  void everyRegisteredUriCountsExactlyAndOnlyLoopbackPortsAreFree() {
    SandboxClient c = SANDBOX.client();
    HttpResponse<String> r = c.postJson("/oauth2/register", null, "{\"redirect_uris\":[\"https://app.example/cb\","
        + "\"http://127.0.0.1:48123/callback\"],\"token_endpoint_auth_method\":\"none\"}");
    String id = (String) SandboxClient.json(r.body()).get("client_id");
    SandboxClient.Pkce pkce = c.pkce();
    for (String ok : List.of("https://app.example/cb", "http://127.0.0.1:48123/callback",
        "http://127.0.0.1:50001/callback")) {
      URI cb = c.authorize(c.authorizeUrl(id, ok, null, pkce.challenge(), "s"), true);
      assertThat(cb.toString()).as(ok).startsWith(ok + "?code=");
    }
    for (String bad : List.of("https://app.example/cb/more", "https://app.example:8443/cb",
        "http://127.0.0.1:50001/callback/more", "http://localhost:48123/callback")) {
      HttpResponse<String> page = c.get("/oauth2/authorize?response_type=code&client_id=" + id + "&code_challenge="
          + pkce.challenge() + "&redirect_uri=" + SandboxClient.enc(bad), null);
      assertThat(page.statusCode()).as(bad).isEqualTo(400);
      assertThat(page.headers().firstValue("Location")).as(bad).isEmpty();
    }
    assertThat(c.stats()).containsEntry("denied", Map.of());
  }
}
