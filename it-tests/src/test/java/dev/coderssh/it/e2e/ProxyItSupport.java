package dev.coderssh.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.it.fixture.RepoPaths;
import dev.coderssh.it.fixture.SandboxClient;
import dev.coderssh.it.fixture.SandboxExtension;
import dev.coderssh.it.fixture.SshRunner;
import dev.coderssh.it.fixture.SshRunner.Result;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Shared steps of the proxy ITs: the real sign-in through bin/coder-ssh, and agent addresses. */
final class ProxyItSupport {
  private ProxyItSupport() {
  }

  static String launcher() {
    return RepoPaths.bin("coder-ssh").toString();
  }

  /** Environment for coder-ssh and ssh: a private CODER_SSH_HOME, the scripted browser. */
  static Map<String, String> env(Path home) {
    return Map.of("CODER_SSH_HOME", home.toString(), "BROWSER", RepoPaths.dev("sandbox-browser").toString());
  }

  /** {@code bin/coder-ssh login URL} as a user runs it, with the scripted browser clicking Allow. */
  static void login(SandboxExtension sandbox, Path home) {
    Result r = SshRunner.run(List.of(launcher(), "login", sandbox.url()), env(home), new byte[0], null);
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.stderr() + r.out()).contains("Signed in to " + sandbox.url());
  }

  /** The agent's SSH address the sandbox publishes ({@code sandbox_ssh_address}). */
  @SuppressWarnings("unchecked")
  static String agentAddress(SandboxExtension sandbox, String owner, String workspace) {
    SandboxClient c = sandbox.client();
    String token = c.sessionToken();
    var ws = c.get("/api/v2/users/" + owner + "/workspace/" + workspace, token);
    assertThat(ws.statusCode()).as(ws.body()).isEqualTo(200);
    Map<String, Object> build = (Map<String, Object>) SandboxClient.json(ws.body()).get("latest_build");
    Map<String, Object> resource = ((List<Map<String, Object>>) build.get("resources")).get(0);
    Map<String, Object> agent = ((List<Map<String, Object>>) resource.get("agents")).get(0);
    var conn = c.get("/api/v2/workspaceagents/" + agent.get("id") + "/connection", token);
    assertThat(conn.statusCode()).as(conn.body()).isEqualTo(200);
    String address = (String) SandboxClient.json(conn.body()).get("sandbox_ssh_address");
    assertThat(address).as(conn.body()).matches("127\\.0\\.0\\.1:\\d+");
    return address;
  }
}
