package dev.coderssh.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.it.fixture.CoderSsh;
import dev.coderssh.it.fixture.SandboxClient;
import dev.coderssh.it.fixture.SandboxExtension;
import dev.coderssh.it.fixture.SshRunner;
import dev.coderssh.it.fixture.SshRunner.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coder-ssh token}, and ssh through {@code coder-ssh proxy}, against a deployment whose
 * access tokens really live 4 seconds (no doctored expiry here): an expired token is refreshed
 * (exactly one refresh, inside the ProxyCommand for ssh), a revoked or expired sign-in is exit 3
 * with the one-line login hint and no browser.
 */
class TokenIT {
  @RegisterExtension
  static final SandboxExtension SANDBOX = SandboxExtension.with(o -> o.withAccessTtl(Duration.ofSeconds(4)));
  @TempDir
  Path dir;
  CoderSsh cs;
  String url;

  @BeforeEach
  void signIn() {
    url = SANDBOX.url();
    cs = CoderSsh.signedIn(dir, SANDBOX);
  }

  @Test
  void anExpiredAccessTokenIsRefreshedOnce() throws Exception {
    String before = waitOutTheLifetime();
    Result t = cs.run("token", url);
    assertThat(t.exit()).as(t.toString()).isZero();
    String after = t.out().strip();
    assertThat(after).isNotEqualTo(before).isEqualTo(cs.credentials(url).get("access_token"));
    assertThat(SANDBOX.client().stats()).containsEntry("token_requests", Map.of("authorization_code", 0, "refresh_token", 1));
    assertThat(cs.browserLaunches()).isZero();
  }

  @Test
  void sshRefreshesAnExpiredTokenInsideTheProxyCommandOnce() throws Exception {
    SshRunner ssh = new SshRunner(dir, CoderSsh.launcher() + " proxy --url " + url + " %h");
    // A first connection fetches the CLI, so the one under test goes from refresh to CLI at once.
    assertThat(ssh.ssh(cs.env(), "coder.dev", "true").exit()).isZero();
    SANDBOX.sandbox().resetStats();
    String before = waitOutTheLifetime();
    Result r = ssh.ssh(cs.env(), "coder.dev", "echo ok");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("ok\n");
    assertThat(cs.credentials(url).get("access_token")).isNotEqualTo(before);
    assertThat(SANDBOX.client().stats()).containsEntry("token_requests", Map.of("authorization_code", 0, "refresh_token", 1));
    assertThat(cs.browserLaunches()).isZero();
  }

  /** Sleeps until the stored access token's real expiry has passed; returns that token. */
  private String waitOutTheLifetime() throws InterruptedException {
    String token = (String) cs.credentials(url).get("access_token");
    Instant expiresAt = Instant.parse((String) SandboxClient.json(cs.run("status", url, "--json").out()).get("expires_at"));
    long wait = Duration.between(Instant.now(), expiresAt).toMillis() + 100;
    if (wait > 0) {
      Thread.sleep(wait);
    }
    assertThat(SANDBOX.client().get("/api/v2/users/me", token).statusCode()).as("the server agrees it expired")
        .isEqualTo(401);
    return token;
  }

  @Test
  void aRevokedSignInIsExit3WithTheLoginLineAndNoBrowser() {
    SANDBOX.sandbox().revokeTokens("demo");
    cs.ageAccessToken(url);
    assertSignInRequired();
  }

  @Test
  void anExpiredRefreshTokenIsExit3WithTheLoginLineAndNoBrowser() {
    SANDBOX.sandbox().expireTokens("demo", true, true);
    cs.ageAccessToken(url);
    assertSignInRequired();
  }

  private void assertSignInRequired() {
    Result t = cs.run("token", url);
    assertThat(t.exit()).as(t.toString()).isEqualTo(3);
    assertThat(t.out()).isEmpty();
    assertThat(t.stderr().lines().toList()).as(t.stderr()).singleElement().asString()
        .startsWith("coder-ssh token: ").endsWith("run `coder-ssh login " + url + "`");
    assertThat(cs.browserLaunches()).isZero();
    assertThat(SANDBOX.client().stats()).containsEntry("token_requests", Map.of("authorization_code", 0, "refresh_token", 1));
    // The dead sign-in is remembered: later runs say the same without asking the server again.
    Result again = cs.run("token", url);
    assertThat(again.exit()).isEqualTo(3);
    assertThat(SANDBOX.client().stats()).containsEntry("token_requests", Map.of("authorization_code", 0, "refresh_token", 1));
    assertThat(cs.run("status", url).exit()).isEqualTo(3);
  }
}
