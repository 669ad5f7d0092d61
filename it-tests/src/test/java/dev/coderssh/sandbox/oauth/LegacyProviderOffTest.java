package dev.coderssh.sandbox.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.it.fixture.SandboxClient;
import dev.coderssh.it.fixture.SandboxExtension;
import dev.coderssh.sandbox.Profile;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An older server without the oauth2 experiment: RequireExperimentWithDevBypass's 403 on every OAuth route. */
class LegacyProviderOffTest {
  @RegisterExtension
  static final SandboxExtension SANDBOX = SandboxExtension.profile(Profile.LEGACY, o -> o.withProvider(false));

  @Test
  void everyOAuthRouteIsTheExperimentsForbidden() {
    SandboxClient c = SANDBOX.client();
    for (String path : new String[] {"/.well-known/oauth-authorization-server", "/.well-known/oauth-protected-resource",
        "/oauth2/authorize", "/oauth2/register", "/oauth2/clients/x"}) {
      var r = c.get(path, null);
      assertThat(r.statusCode()).as(path).isEqualTo(403);
      assertThat(SandboxClient.json(r.body())).as(path)
          .isEqualTo(Map.of("message", "OAuth2 functionality requires enabling the 'oauth2' experiment."));
    }
    assertThat(c.token(Map.of("grant_type", "refresh_token")).statusCode()).isEqualTo(403);
    assertThat(SandboxClient.json(c.get("/api/v2/buildinfo", null).body())).doesNotContainKey("oauth2_provider");
    assertThat(c.get("/api/v2/users/me", c.sessionToken()).statusCode()).isEqualTo(200);
  }
}
