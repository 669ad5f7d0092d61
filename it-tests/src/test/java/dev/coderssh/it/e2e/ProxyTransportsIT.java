package dev.coderssh.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.it.fixture.CoderSsh;
import dev.coderssh.it.fixture.SandboxClient;
import dev.coderssh.it.fixture.SandboxExtension;
import dev.coderssh.it.fixture.SshRunner;
import dev.coderssh.it.fixture.SshRunner.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy's other ways in: the direct transport ({@code --direct HOST:PORT}: the JVM resolves
 * the workspace through the API and relays the bytes itself), and {@code --login browser}, where
 * eight ssh started at once while signed out share ONE browser sign-in.
 */
class ProxyTransportsIT {
  @RegisterExtension
  static final SandboxExtension SANDBOX = SandboxExtension.create();
  @TempDir
  Path dir;

  @Test
  void theDirectTransportRelaysToTheAgent() throws Exception {
    String url = SANDBOX.url();
    CoderSsh cs = new CoderSsh(dir).withSandboxBrowser("allow");
    assertThat(cs.run("login", url).exit()).isZero();
    cs.withRecordingBrowser();
    String address = agentAddress(url, (String) cs.credentials(url).get("access_token"), "dev");
    SshRunner ssh = new SshRunner(dir, CoderSsh.launcher() + " proxy --url " + url + " --direct " + address + " %h");
    Result r = ssh.ssh(cs.env(), "data".getBytes(StandardCharsets.UTF_8), "coder.dev", "cat; echo \" from $(hostname)\"; exit 5");
    assertThat(r.exit()).as(r.toString()).isEqualTo(5);
    assertThat(r.out()).isEqualTo("data from dev\n");
    Path local = dir.resolve("f.txt");
    java.nio.file.Files.writeString(local, "direct\n");
    Result scp = ssh.scp(cs.env(), local.toString(), "coder.dev:" + dir.resolve("g.txt"));
    assertThat(scp.exit()).as(scp.toString()).isZero();
    assertThat(dir.resolve("g.txt")).hasContent("direct");
  }

  @Test
  void eightConnectionsWhileSignedOutShareOneBrowserSignIn() throws Exception {
    String url = SANDBOX.url();
    CoderSsh cs = new CoderSsh(dir).withCountedSandboxBrowser();
    SshRunner ssh = new SshRunner(dir, CoderSsh.launcher() + " proxy --url " + url + " --login browser %h");
    int n = 8;
    List<Result> results = ssh.echoAtOnce(cs.env(), "coder.dev", n);
    for (int i = 0; i < n; i++) {
      Result r = results.get(i);
      assertThat(r.exit()).as(r.toString()).isZero();
      assertThat(r.out()).isEqualTo("run-" + i + "\n");
    }
    assertThat(cs.browserLaunches()).as("one browser for eight connections").isEqualTo(1);
    assertThat(SANDBOX.client().stats()).containsEntry("token_requests", Map.of("authorization_code", 1, "refresh_token", 0));
    assertThat(cs.run("status", url).exit()).isZero();
  }

  /** The agent's SSH address as the sandbox publishes it on the connection endpoint. */
  @SuppressWarnings("unchecked")
  static String agentAddress(String url, String token, String workspace) {
    SandboxClient c = SANDBOX.client();
    Map<String, Object> ws = SandboxClient.json(c.get("/api/v2/users/me/workspace/" + workspace, token).body());
    Map<String, Object> build = (Map<String, Object>) ws.get("latest_build");
    List<Map<String, Object>> resources = (List<Map<String, Object>>) build.get("resources");
    for (Map<String, Object> res : resources) {
      for (Map<String, Object> agent : (List<Map<String, Object>>) res.get("agents")) {
        Map<String, Object> conn = SandboxClient.json(c.get("/api/v2/workspaceagents/" + agent.get("id") + "/connection",
            token).body());
        return (String) conn.get("sandbox_ssh_address");
      }
    }
    throw new IllegalStateException("no agent in " + workspace);
  }
}
