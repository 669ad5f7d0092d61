package dev.coderssh.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.it.fixture.SandboxClient;
import dev.coderssh.it.fixture.SandboxExtension;
import dev.coderssh.sandbox.Profile;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The /sandbox/* test API that benchmarks and tests in other processes drive. */
class ControlApiTest {
  @RegisterExtension
  // Public apps exist only on the newest servers.
  static final SandboxExtension SANDBOX = SandboxExtension.profile(Profile.CURRENT, o -> o);

  @Test
  void workspacesExpiryRevocationAndStatsResetOverHttp() {
    SandboxClient c = SANDBOX.client();
    var created = c.postJson("/sandbox/workspaces", null, "{\"name\":\"extra\",\"agents\":[\"a\",\"b\"]}");
    assertThat(created.statusCode()).isEqualTo(201);
    String session = c.sessionToken();
    assertThat(SandboxClient.json(c.get("/api/v2/users/me/workspace/extra", session).body()))
        .containsEntry("name", "extra");
    assertThat(c.postJson("/sandbox/workspaces", null, "{\"name\":\"extra\"}").statusCode()).isEqualTo(400);

    SandboxClient.Tokens t = c.login(null);
    assertThat(c.stats()).containsEntry("valid_access_tokens", 2);
    c.postJson("/sandbox/expire", null, "{\"user\":\"demo\",\"access\":true}");
    assertThat(c.get("/api/v2/users/me", t.accessToken()).statusCode()).isEqualTo(401);
    assertThat(c.stats()).containsEntry("valid_access_tokens", 0);
    SandboxClient.Tokens refreshed = c.refresh(t);
    c.postJson("/sandbox/revoke-all", null, "{}");
    assertThat(c.get("/api/v2/users/me", refreshed.accessToken()).statusCode()).isEqualTo(401);
    assertThat(c.token(Map.of("grant_type", "refresh_token", "client_id", t.clientId(), "refresh_token",
        refreshed.refreshToken())).statusCode()).isEqualTo(400);

    assertThat(((Map<?, ?>) c.stats().get("token_requests")).get("refresh_token")).isEqualTo(2);
    c.postJson("/sandbox/reset-stats", null, "");
    assertThat(c.stats().get("token_requests")).isEqualTo(Map.of("authorization_code", 0, "refresh_token", 0));
  }

  @Test
  void appsCanBeCreatedForDcrOffSetups() {
    var r = SANDBOX.client().postJson("/sandbox/apps", null,
        "{\"name\":\"JetBrains\",\"redirect_uris\":[\"http://127.0.0.1/callback\"],\"confidential\":false}");
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(SandboxClient.json(r.body())).containsKey("client_id").doesNotContainKey("client_secret");
  }
}
