package dev.coderssh.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.it.fixture.SandboxClient;
import dev.coderssh.it.fixture.RoundTrips;
import dev.coderssh.it.fixture.SandboxExtension;
import dev.coderssh.it.fixture.SshRunner;
import dev.coderssh.it.fixture.SshRunner.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real OpenSSH client through the stand-in {@code coder ssh --stdio} as ProxyCommand, with a
 * token obtained through the sandbox's own OAuth flow, to real MINA SSHD agents.
 */
class SshThroughStandInCliIT {
  @RegisterExtension
  static final SandboxExtension SANDBOX = SandboxExtension.create();
  @TempDir
  static Path dir;
  static SshRunner ssh;
  /** What coder-ssh asks for by default (core's ScopeCatalog.DEFAULT). */
  static final String DEFAULT_SCOPES =
      "coder:workspaces.access coder:workspaces.operate workspace:start workspace:create template:read user:read user:read_personal";
  Map<String, String> env;

  @BeforeAll
  static void writeConfig() throws IOException {
    ssh = SshRunner.standInCli(SANDBOX.sandbox(), dir);
  }

  /** A fresh sign-in per test: one test expires every token of the demo user. */
  @BeforeEach
  void signIn() {
    SandboxClient.Tokens t = SANDBOX.client().login(DEFAULT_SCOPES);
    env = Map.of("CODER_SESSION_TOKEN", t.accessToken());
  }

  @Test
  void aCommandRunsAndItsOutputAndExitStatusComeBack() {
    Result r = ssh.ssh(env, "coder.dev", "echo hello from $(hostname); echo oops >&2; exit 3");
    assertThat(r.exit()).as(r.toString()).isEqualTo(3);
    assertThat(r.out()).isEqualTo("hello from dev\n");
    assertThat(r.stderr()).contains("oops");
  }

  @Test
  void stdinIsPassedThrough() {
    Result r = ssh.ssh(env, "data".getBytes(StandardCharsets.UTF_8), "coder.dev", "cat");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("data");
  }

  @Test
  void sixtyFourMebibytesRoundTripUnchanged() throws Exception {
    RoundTrips.sixtyFourMebibytes(ssh, env, dir, "coder.dev", 42);
  }

  @Test
  void sftpAndScpWork() throws IOException {
    RoundTrips.scpAndSftp(ssh, env, dir, "coder.dev");
  }

  @Test
  void tcpForwardingReachesAPortInTheWorkspace() {
    byte[] request = "GET /api/v2/buildinfo HTTP/1.0\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    Result r = SshRunner.run(List.of("ssh", "-F", ssh.config().toString(), "-W",
        "127.0.0.1:" + SANDBOX.sandbox().port(), "coder.dev"), env, request, null);
    assertThat(r.out()).contains("200 OK");
  }

  @Test
  void hostFormsPickTheRightWorkspaceAndAgent() {
    assertThat(ssh.ssh(env, "coder.multi.gpu", "echo $CODER_WORKSPACE_AGENT_NAME").out()).isEqualTo("gpu\n");
    assertThat(ssh.ssh(env, "coder.multi", "echo $CODER_WORKSPACE_NAME").out()).isEqualTo("multi\n");
    // No scope grants the owner's org membership lookup (coder/coder#30423): another user's
    // workspace needs coder:all, as on a real scope-enforcing server.
    // Servers before 2.35 enforce no scopes: there the scoped token reaches it too.
    Result scoped = ssh.ssh(env, "coder.alice--shared", "hostname");
    assertThat(scoped.exit()).as(scoped.toString()).isEqualTo(enforcesScopes() ? 255 : 0);
    Map<String, String> all = Map.of("CODER_SESSION_TOKEN", SANDBOX.client().login("coder:all").accessToken());
    assertThat(ssh.ssh(all, "coder.alice--shared", "hostname").out()).isEqualTo("shared\n");
    assertThat(ssh.ssh(env, "coder.demo--multi--gpu", "echo $CODER_WORKSPACE_AGENT_NAME").out()).isEqualTo("gpu\n");
  }

  @Test
  void aStoppedWorkspaceIsStartedByTheConnection() {
    SANDBOX.sandbox().addWorkspace("demo", "sleepy", List.of("main"), false);
    Result r = ssh.ssh(env, "coder.sleepy", "echo up on $(hostname)");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("up on sleepy\n");
    assertThat(r.stderr()).contains("Workspace was stopped, starting workspace...");
    assertThat(SANDBOX.client().stats()).containsEntry("builds_started", 1);
  }

  @Test
  void autostartCanBeDisabled() throws IOException {
    SANDBOX.sandbox().addWorkspace("demo", "stays-stopped", List.of("main"), false);
    Path cli = dir.resolve("coder");
    SshRunner noStart = new SshRunner(Files.createDirectories(dir.resolve("nostart")), cli + " --url "
        + SANDBOX.url() + " ssh --stdio --disable-autostart --ssh-host-prefix coder. %h");
    Result r = noStart.ssh(env, "coder.stays-stopped", "true");
    assertThat(r.exit()).isEqualTo(255);
    assertThat(r.stderr()).contains("autostart is disabled");
  }

  @Test
  void theLogDirGetsALogWithoutTheToken() throws IOException {
    Path logs = Files.createDirectories(dir.resolve("logs"));
    SshRunner logged = new SshRunner(Files.createDirectories(dir.resolve("logged")), dir.resolve("coder") + " --url "
        + SANDBOX.url() + " ssh --stdio --log-dir " + logs + " --ssh-host-prefix coder. %h");
    assertThat(logged.ssh(env, "coder.dev", "true").exit()).isZero();
    try (var files = Files.list(logs)) {
      List<Path> all = files.toList();
      assertThat(all).hasSize(1);
      assertThat(Files.readString(all.get(0))).contains("connecting to dev.main")
          .doesNotContain(env.get("CODER_SESSION_TOKEN"));
    }
  }

  @Test
  void anExpiredTokenIsRefused() {
    SandboxClient.Tokens t = SANDBOX.client().login("coder:workspaces.access");
    SANDBOX.sandbox().expireTokens("demo", true, false);
    Result r = ssh.ssh(Map.of("CODER_SESSION_TOKEN", t.accessToken()), "coder.dev", "true");
    assertThat(r.exit()).isEqualTo(255);
    assertThat(r.stderr()).contains("error:", "expired");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aTokenWithoutWorkspaceSshIsRefused() {
    SandboxClient.Tokens t = SANDBOX.client().login("workspace:read template:read");
    Result r = ssh.ssh(Map.of("CODER_SESSION_TOKEN", t.accessToken()), "coder.dev", "true");
    if (!enforcesScopes()) {
      assertThat(r.exit()).as(r.toString()).isZero();
      return;
    }
    // What the real CLI prints when the coordinate websocket answers 404.
    assertThat(r.exit()).isEqualTo(255);
    assertThat(r.stderr()).contains("dial workspace agent").contains("HTTP 404");
    assertThat(SANDBOX.client().stats().get("denied").toString()).contains("/coordinate");
  }

  private static boolean enforcesScopes() {
    return SANDBOX.sandbox().options().profile().enforcesScopes();
  }

  @Test
  void noTokenIsRefusedWithOneLine() {
    Result r = ssh.ssh(Map.of(), "coder.dev", "true");
    assertThat(r.exit()).isEqualTo(255);
    assertThat(r.stderr()).contains("CODER_SESSION_TOKEN");
  }
}
