package dev.coderssh.it.real;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.it.fixture.CoderSsh;
import dev.coderssh.it.fixture.RealCoderExtension;
import dev.coderssh.it.fixture.SshRunner;
import dev.coderssh.it.fixture.SshRunner.Result;
import dev.coderssh.realcoder.Api;
import dev.coderssh.realcoder.Deployment;
import dev.coderssh.realcoder.Release;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real deployment whose sessions last 30 s ({@code CODER_SESSION_DURATION}): the access token's
 * expiry comes from the server's own answer, nothing is doctored, and ssh after it refreshes once.
 */
class ShortSessionRealCoderIT {
  static final Duration SESSION = Duration.ofSeconds(30);
  @RegisterExtension
  static final RealCoderExtension CODER = RealCoderExtension.with(Release.NEWEST, o -> o.withSessionDuration(SESSION));
  @TempDir
  Path dir;

  @Test
  void aTokenPastItsServerGivenLifetimeIsRefreshedOnceBySsh() throws Exception {
    Deployment d = CODER.deployment();
    CoderSsh cs = new CoderSsh(dir.resolve("user")).withRealCoderBrowser(d.fixture(), false);
    Result login = cs.run("login", d.url());
    assertThat(login.exit()).as(login.toString()).isZero();
    Instant expires = Instant.ofEpochMilli(((Number) cs.credentials(d.url()).get("expires_at_ms")).longValue());
    assertThat(Duration.between(Instant.now(), expires)).as("the lifetime the server gave")
        .isLessThanOrEqualTo(SESSION).isGreaterThan(SESSION.minusSeconds(15));
    String first = (String) cs.credentials(d.url()).get("access_token");
    SshRunner ssh = new SshRunner(dir, CoderSsh.launcher() + " proxy --url " + d.url() + " %h");
    assertThat(ssh.ssh(cs.env(), "coder.dev", "true").exit()).isZero();
    long before = d.tokenRequests();
    // expires_in is whole seconds, counted by the server from its own clock: wait until the
    // server itself refuses the token, so the refresh below is one the server needed.
    Api old = new Api(d.url()).withToken(first);
    while (old.get("/api/v2/users/me").status() != 401) {
      assertThat(Instant.now()).as("the server still takes the token 10 s after its lifetime")
          .isBefore(expires.plusSeconds(10));
      Thread.sleep(250);
    }
    Result r = ssh.ssh(cs.env(), "coder.dev", "echo $CODER_WORKSPACE_NAME");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("dev\n");
    assertThat(d.tokenRequests() - before).isEqualTo(1);
    assertThat(cs.credentials(d.url()).get("access_token")).isNotEqualTo(first);
  }
}
