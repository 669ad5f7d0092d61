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
    // 2.36.1 gates the metadata behind the oauth2 experiment too (the reference expected 404
    // from a provider flag, which this release does not have).
    assertThat(status(NEWEST, "/.well-known/oauth-authorization-server")).isEqualTo(403);
    refusesSignIn(NEWEST, dir.resolve("newest"));
  }

  @Test
  void olderSaysWhereToGetATokenInstead() throws Exception {
    // 2.25.1 serves the metadata whatever the experiment says; only /oauth2/* answers 403.
    assertThat(status(OLDER, "/.well-known/oauth-authorization-server")).isEqualTo(200);
    assertThat(status(OLDER, "/oauth2/tokens")).isEqualTo(403);
    refusesSignIn(OLDER, dir.resolve("older"));
  }

  private static int status(RealCoderExtension coder, String path) throws java.io.IOException {
    return new Api(coder.url()).get(path).status();
  }

  private static void refusesSignIn(RealCoderExtension coder, Path home) throws Exception {
    String url = coder.url();
    CoderSsh cs = new CoderSsh(home);
    Result r = cs.run("login", url);
    assertThat(r.exit()).as(r.toString()).isNotZero();
    assertThat(r.stderr().strip().lines()).as(r.toString()).hasSize(1);
    assertThat(r.stderr()).contains(url + "/cli-auth");
    assertThat(cs.browserLaunches()).isZero();
    assertThat(cs.credentialsFile(url)).doesNotExist();
  }
}
