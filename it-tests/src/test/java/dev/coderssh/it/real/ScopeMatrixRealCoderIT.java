package dev.coderssh.it.real;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coderssh.it.fixture.CoderSsh;
import dev.coderssh.it.fixture.RealCoderExtension;
import dev.coderssh.it.fixture.SshRunner;
import dev.coderssh.it.fixture.SshRunner.Result;
import dev.coderssh.realcoder.Api;
import dev.coderssh.realcoder.Deployment;
import dev.coderssh.realcoder.Release;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scope matrix on the newest real Coder (2.36.1): each default scope left out in turn. This
 * release lists the scopes in its metadata but records every OAuth key as coder:all, so it refuses
 * nothing a scope would guard, and coder-ssh must say so rather than claim a narrow token.
 */
class ScopeMatrixRealCoderIT {
  static final List<String> DEFAULT = List.of("coder:workspaces.access", "coder:workspaces.operate",
      "workspace:start", "workspace:create", "template:read", "user:read", "user:read_personal");
  @RegisterExtension
  static final RealCoderExtension CODER = RealCoderExtension.of(Release.NEWEST);
  @TempDir
  Path dir;

  @Test
  void eachDefaultScopeLeftOutRefusesNothingAndStatusSaysTheTokenIsUnrestricted() throws Exception {
    Deployment d = CODER.deployment();
    JsonNode metadata = new Api(d.url()).get("/.well-known/oauth-authorization-server").ok();
    List<String> supported = new ArrayList<>();
    metadata.get("scopes_supported").forEach(n -> supported.add(n.asText()));
    assertThat(supported).as("the server lists every default scope").containsAll(DEFAULT);
    // One home throughout: its client (registered for the default set) can grant each subset, and
    // the CLI is downloaded once.
    CoderSsh cs = new CoderSsh(dir.resolve("user")).withRealCoderBrowser(d.fixture(), false);
    SshRunner proxy = new SshRunner(dir, CoderSsh.launcher() + " proxy --url " + d.url() + " %h");
    for (String left : DEFAULT) {
      List<String> asked = new ArrayList<>(DEFAULT);
      asked.remove(left);
      Result login = cs.run("login", d.url(), "--scope", String.join(" ", asked));
      assertThat(login.exit()).as(left + ": " + login).isZero();
      assertThat(login.stderr()).as(left).contains("does not narrow OAuth tokens").doesNotContain("Warning:");
      String token = (String) cs.credentials(d.url()).get("access_token");
      // What the server records for the key: coder:all, whatever was asked.
      JsonNode key = new Api(d.url()).withToken(token).get("/api/v2/users/me/keys/" + token.split("-")[0]).ok();
      assertThat(key.get("scopes").toString()).as(left).contains("coder:all");
      // Steps the left-out scope would guard on an enforcing server still work here.
      assertThat(new Api(d.url()).withToken(token).get("/api/v2/users/me").status()).as(left).isEqualTo(200);
      Result ssh = proxy.ssh(cs.env(), "coder.dev", "echo $CODER_WORKSPACE_NAME");
      assertThat(ssh.exit()).as(left + ": " + ssh).isZero();
      assertThat(ssh.out()).isEqualTo("dev\n");
      Result status = cs.run("status", d.url(), "--json");
      assertThat(status.out()).as(left).containsPattern("\"scopes_enforced\": ?false");
    }
  }
}
