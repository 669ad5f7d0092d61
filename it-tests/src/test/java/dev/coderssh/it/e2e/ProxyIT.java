package dev.coderssh.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.it.fixture.CoderSsh;
import dev.coderssh.it.fixture.RoundTrips;
import dev.coderssh.it.fixture.SandboxExtension;
import dev.coderssh.it.fixture.SshRunner;
import dev.coderssh.it.fixture.SshRunner.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real OpenSSH client with {@code ProxyCommand bin/coder-ssh proxy --url URL %h}, signed in
 * through {@code coder-ssh login}: commands, stdin, 64 MiB, sftp and scp through the tunnel; the
 * refresh inside the ProxyCommand (one per machine however many ssh start at once); a revoked
 * sign-in failing with the one-line message; autostart; stdout purity.
 */
class ProxyIT {
  @RegisterExtension
  static final SandboxExtension SANDBOX = SandboxExtension.create();
  @TempDir
  Path dir;
  CoderSsh cs;
  SshRunner ssh;
  String url;

  @BeforeEach
  void signIn() throws IOException {
    url = SANDBOX.url();
    cs = CoderSsh.signedIn(dir, SANDBOX);
    ssh = new SshRunner(dir, CoderSsh.launcher() + " proxy --url " + url + " %h");
  }

  @Test
  void aCommandItsStatusOutputAndStdinPassThrough() {
    Result r = ssh.ssh(cs.env(), "coder.dev", "echo hello from $(hostname); echo oops >&2; exit 3");
    assertThat(r.exit()).as(r.toString()).isEqualTo(3);
    assertThat(r.out()).isEqualTo("hello from dev\n");
    // The first connection downloads the CLI: one line per state, so a terminal or an IDE's log
    // shows why it takes a while; nothing else (the CDS dump) reaches the terminal.
    assertThat(r.stderr().lines().toList()).as(r.toString()).hasSize(3)
        .satisfies(l -> assertThat(l.get(0)).startsWith("coder-ssh: downloading the Coder CLI ").contains(url))
        // A size and a time that mean something for the sandbox's small CLI: not "(0 MB) in 0 s".
        .satisfies(l -> assertThat(l.get(1)).matches("coder-ssh: installed the Coder CLI \\S+ \\((\\d+ bytes|[1-9]\\d* KiB"
            + "|\\d+\\.\\d MB)\\) in (\\d+ ms|\\d\\.\\d s|\\d+ s); connecting"))
        .satisfies(l -> assertThat(l.get(2)).isEqualTo("oops"));
    Result cat = ssh.ssh(cs.env(), "data".getBytes(StandardCharsets.UTF_8), "coder.multi.gpu",
        "cat; echo \" on $CODER_WORKSPACE_AGENT_NAME\"");
    assertThat(cat.exit()).as(cat.toString()).isZero();
    assertThat(cat.out()).isEqualTo("data on gpu\n");
    assertThat(SANDBOX.client().stats()).as("a fresh token: no token request at all")
        .containsEntry("token_requests", Map.of("authorization_code", 0, "refresh_token", 0));
  }

  @Test
  void sixtyFourMebibytesRoundTripUnchanged() throws Exception {
    RoundTrips.sixtyFourMebibytes(ssh, cs.env(), dir, "coder.dev", 7);
  }

  @Test
  void sftpAndScpWork() throws IOException {
    RoundTrips.scpAndSftp(ssh, cs.env(), dir, "coder.dev");
  }

  @Test
  void anExpiredAccessTokenIsRefreshedInsideTheProxyCommandOnce() {
    String before = (String) cs.credentials(url).get("access_token");
    cs.ageAccessToken(url);
    SANDBOX.sandbox().expireTokens("demo", true, false);
    Result r = ssh.ssh(cs.env(), "coder.dev", "echo ok");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("ok\n");
    assertThat(cs.credentials(url).get("access_token")).isNotEqualTo(before);
    assertThat(SANDBOX.client().stats()).containsEntry("token_requests", Map.of("authorization_code", 0, "refresh_token", 1));
  }

  @Test
  void aRevokedSignInFailsWithTheOneLineMessageAndNoBrowser() {
    cs.ageAccessToken(url);
    SANDBOX.sandbox().revokeTokens("demo");
    Result r = ssh.ssh(cs.env(), "coder.dev", "echo ok");
    assertThat(r.exit()).as(r.toString()).isEqualTo(255);
    assertThat(r.out()).isEmpty();
    assertThat(r.stderr().lines().filter(l -> l.startsWith("coder-ssh proxy:")).toList()).as(r.stderr())
        .singleElement().asString().endsWith("run `coder-ssh login " + url + "`");
    assertThat(cs.browserLaunches()).isZero();
    assertThat(SANDBOX.client().stats()).containsEntry("token_requests", Map.of("authorization_code", 0, "refresh_token", 1));
  }

  @Test
  void twentyFourSshAtOnceWithAStaleTokenAllSucceedWithOneRefresh() throws Exception {
    cs.ageAccessToken(url);
    SANDBOX.sandbox().expireTokens("demo", true, false);
    int n = 24;
    List<Result> results = ssh.echoAtOnce(cs.env(), "coder.dev", n);
    for (int i = 0; i < n; i++) {
      Result r = results.get(i);
      assertThat(r.exit()).as(r.toString()).isZero();
      assertThat(r.out()).isEqualTo("run-" + i + "\n");
    }
    assertThat(SANDBOX.client().stats()).containsEntry("token_requests", Map.of("authorization_code", 0, "refresh_token", 1))
        .containsEntry("token_errors", Map.of());
    assertThat(cs.home().resolve("locks")).satisfies(d -> assertThat(lockFiles(d)).isEmpty());
  }

  @Test
  void aStoppedWorkspaceIsStartedByTheConnection() {
    SANDBOX.sandbox().addWorkspace("demo", "napping", List.of("main"), false);
    Result r = ssh.ssh(cs.env(), "coder.napping", "echo up on $(hostname)");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("up on napping\n");
    assertThat(SANDBOX.client().stats()).containsEntry("builds_started", 1);
  }

  @Test
  void aProxyCommandWhoseTunnelFailsWritesNothingToStdout() {
    // Run as ssh runs it, stdout being the wire: every way of failing must leave it empty.
    SANDBOX.sandbox().addWorkspace("demo", "kept-off", List.of("main"), false);
    List<Result> failures = new ArrayList<>();
    failures.add(cs.run("proxy", "--url", url, "coder.no-such-workspace"));
    failures.add(cs.run("proxy", "--url", url, "--disable-autostart", "coder.kept-off"));
    failures.add(cs.run("proxy", "--url", url, "coder.dev.no-such-agent"));
    failures.add(cs.run("proxy", "--url", "http://127.0.0.1:1", "coder.dev"));
    cs.ageAccessToken(url);
    SANDBOX.sandbox().revokeTokens("demo");
    failures.add(cs.run("proxy", "--url", url, "coder.dev"));
    for (Result r : failures) {
      assertThat(r.exit()).as(r.toString()).isNotZero();
      assertThat(r.stdout()).as(r.toString()).isEmpty();
      assertThat(r.stderr()).as(r.toString()).isNotBlank().doesNotContain("\tat ");
    }
    assertThat(failures.get(failures.size() - 1).exit()).isEqualTo(3);
  }

  static List<Path> lockFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (var s = Files.list(dir)) {
      return s.toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
