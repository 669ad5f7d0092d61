package dev.coderssh.it.real;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.it.fixture.CoderSsh;
import dev.coderssh.it.fixture.RealCoderExtension;
import dev.coderssh.it.fixture.SshRunner.Result;
import dev.coderssh.realcoder.Api;
import dev.coderssh.realcoder.Release;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real deployments with the OAuth2 provider off (neither the experiment nor the flag): the
 * metadata document is the one signal, and sign-in says in one line where to get a token instead,
 * opening no browser and writing nothing.
 */
class ProviderOffRealCoderIT {
  @RegisterExtension
  static final RealCoderExtension NEWEST = RealCoderExtension.with(Release.NEWEST,
      o -> o.withProvider(false).withoutWorkspaces());
  @RegisterExtension
  static final RealCoderExtension OLDER = RealCoderExtension.with(Release.OLDER,
      o -> o.withProvider(false).withoutWorkspaces());
  @TempDir
  Path dir;

  @Test
  void newestSaysWhereToGetATokenInstead() throws Exception {
    refusesSignIn(NEWEST, dir.resolve("newest"));
  }

  @Test
  void olderSaysWhereToGetATokenInstead() throws Exception {
    refusesSignIn(OLDER, dir.resolve("older"));
  }

  private static void refusesSignIn(RealCoderExtension coder, Path home) throws Exception {
    String url = coder.url();
    // What the real server answers while the provider is off (the reference's guess was 404
    // for the newest releases; 2.25 and 2.36 gate it behind the oauth2 experiment).
    Api.Answer metadata = new Api(url).get("/.well-known/oauth-authorization-server");
    assertThat(metadata.status()).as(metadata.text()).isEqualTo(403);
    CoderSsh cs = new CoderSsh(home);
    Result r = cs.run("login", url);
    assertThat(r.exit()).as(r.toString()).isNotZero();
    assertThat(r.stderr().strip().lines()).as(r.toString()).hasSize(1);
    assertThat(r.stderr()).contains(url + "/cli-auth");
    assertThat(cs.browserLaunches()).isZero();
    assertThat(cs.credentialsFile(url)).doesNotExist();
  }
}
