package dev.coderssh.sandbox.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.it.fixture.SandboxClient;
import dev.coderssh.it.fixture.SandboxExtension;
import dev.coderssh.sandbox.Profile;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Newest Coder with the provider off: every OAuth route is coderd's 404; buildinfo says nothing. */
class ProviderOffTest {
  @RegisterExtension
  static final SandboxExtension SANDBOX = SandboxExtension.profile(Profile.CURRENT, o -> o.withProvider(false));

  @Test
  void everyOAuthRouteIsRouteNotFound() {
    SandboxClient c = SANDBOX.client();
    for (String path : new String[] {"/.well-known/oauth-authorization-server", "/.well-known/oauth-protected-resource",
        "/oauth2/authorize", "/oauth2/register", "/oauth2/clients/x"}) {
      var r = c.get(path, null);
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(SandboxClient.json(r.body())).as(path).isEqualTo(Map.of("message", "Route not found."));
    }
    assertThat(c.token(Map.of("grant_type", "refresh_token")).statusCode()).isEqualTo(404);
    // buildinfo says nothing either way: the metadata document is the only signal.
    assertThat(SandboxClient.json(c.get("/api/v2/buildinfo", null).body())).doesNotContainKey("oauth2_provider");
  }

  @Test
  void theTokenPageStillWorks() {
    String token = SANDBOX.client().sessionToken();
    assertThat(SANDBOX.client().get("/api/v2/users/me", token).statusCode()).isEqualTo(200);
  }
}
