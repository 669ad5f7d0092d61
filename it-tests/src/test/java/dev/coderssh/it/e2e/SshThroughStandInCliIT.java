package dev.coderssh.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.it.fixture.SandboxClient;
import dev.coderssh.it.fixture.SandboxExtension;
import dev.coderssh.it.fixture.SshRunner;
import dev.coderssh.it.fixture.SshRunner.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
    Path big = dir.resolve("big.bin");
    byte[] chunk = new byte[1 << 20];
    Random random = new Random(42);
    MessageDigest sent = MessageDigest.getInstance("SHA-256");
    try (var out = Files.newOutputStream(big)) {
      for (int i = 0; i < 64; i++) {
        random.nextBytes(chunk);
        sent.update(chunk);
        out.write(chunk);
      }
    }
    Result r = ssh.sshFromFile(env, big, "coder.dev", "cat");
    assertThat(r.exit()).as(r.stderr()).isZero();
    assertThat(r.stdout().length).isEqualTo(64 << 20);
    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(r.stdout())))
        .isEqualTo(HexFormat.of().formatHex(sent.digest()));
  }

  @Test
  void sftpAndScpWork() throws IOException {
    Path local = dir.resolve("local.txt");
    Files.writeString(local, "file body\n");
    Path viaScp = dir.resolve("via-scp.txt");
    Result scp = ssh.scp(env, local.toString(), "coder.dev:" + viaScp);
    assertThat(scp.exit()).as(scp.toString()).isZero();
    assertThat(viaScp).hasContent("file body");
    Path viaSftp = dir.resolve("via-sftp.txt");
    Path back = dir.resolve("back.txt");
    Result sftp = ssh.sftp(env, "coder.dev", "put " + local + " " + viaSftp + "\nget " + viaSftp + " " + back + "\n");
    assertThat(sftp.exit()).as(sftp.toString()).isZero();
    assertThat(back).hasContent("file body");
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
