package dev.coderssh.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.it.fixture.CoderSsh;
import dev.coderssh.it.fixture.SandboxExtension;
import dev.coderssh.it.fixture.SshRunner;
import dev.coderssh.it.fixture.SshRunner.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's JVM-free fast path with the real pieces: the second ssh through the same
 * ProxyCommand execs the CLI from the plan the first one's JVM left, and every change to the
 * sign-in (an aged token, a logout) sends the next connection back through the JVM.
 */
class PlanCacheIT {
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

  /** proxy.log lines: the JVM logs "proxy dev via <cli>", the launcher "via the cached plan". */
  private List<String> log() throws IOException {
    Path log = cs.home().resolve("logs/proxy.log");
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }

  private long cachedRuns() throws IOException {
    return log().stream().filter(l -> l.contains(" via the cached plan (no JVM)")).count();
  }

  private long jvmRuns() throws IOException {
    return log().stream().filter(l -> l.contains(" INFO ") && l.contains("proxy dev via /")).count();
  }

  private List<Path> entries() throws IOException {
    Path plans = cs.home().resolve("cache/plans");
    if (!Files.isDirectory(plans)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(plans)) {
      return s.toList();
    }
  }

  private void echo() {
    Result r = ssh.ssh(cs.env(), "coder.dev", "echo ok from $(hostname)");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("ok from dev\n");
  }

  @Test
  void theSecondConnectionStartsNoJvmAndARefreshOrLogoutEndsTheShortcut() throws Exception {
    echo();
    assertThat(jvmRuns()).isEqualTo(1);
    assertThat(entries()).singleElement().satisfies(e -> assertThat(
        PosixFilePermissions.toString(Files.getPosixFilePermissions(e))).isEqualTo("rw-------"));

    echo();
    echo();
    assertThat(jvmRuns()).as("no JVM for the same argv and a fresh token").isEqualTo(1);
    assertThat(cachedRuns()).isEqualTo(2);

    // The token's lifetime passes (the file is rewritten behind the store's back, as an older
    // coder-ssh or a hand edit would): the credentials file is newer, so the JVM runs and refreshes.
    cs.ageAccessToken(url);
    SANDBOX.sandbox().expireTokens("demo", true, false);
    echo();
    assertThat(jvmRuns()).isEqualTo(2);
    assertThat(SANDBOX.client().stats()).containsEntry("token_requests", Map.of("authorization_code", 0, "refresh_token", 1));
    echo();
    assertThat(cachedRuns()).as("the refreshed token's plan is cached in turn").isEqualTo(3);

    Result logout = cs.run("logout", url);
    assertThat(logout.exit()).as(logout.toString()).isZero();
    assertThat(entries()).as("logout leaves no copy of a token behind").isEmpty();
    Result r = ssh.ssh(cs.env(), "coder.dev", "echo ok");
    assertThat(r.exit()).as(r.toString()).isEqualTo(255);
    assertThat(r.out()).isEmpty();
    assertThat(r.stderr()).contains("coder-ssh proxy: not logged in to " + url);
    assertThat(cachedRuns()).isEqualTo(3);
  }

  @Test
  void eachArgvHasItsOwnEntryAndTheCacheCanBeSwitchedOff() throws Exception {
    echo();
    Result gpu = ssh.ssh(cs.env(), "coder.multi.gpu", "echo $CODER_WORKSPACE_AGENT_NAME");
    assertThat(gpu.out()).as(gpu.toString()).isEqualTo("gpu\n");
    assertThat(entries()).hasSize(2);

    cs.env("CODER_SSH_PLAN_CACHE", "0");
    echo();
    assertThat(jvmRuns()).isEqualTo(2);
    assertThat(cachedRuns()).isZero();
  }

  /**
   * One $HOME rule (issue 19): with HOME elsewhere than the account's home and no CODER_SSH_HOME,
   * login, the JVM and the launcher all use $HOME/.config/coder-ssh, so the plan cache hits.
   */
  @Test
  void theStateFollowsHomeForTheJvmAndTheLauncherAlike() throws IOException {
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    CoderSsh h = new CoderSsh(dir.resolve("h")).withSandboxBrowser("allow").unset("CODER_SSH_HOME")
        .env("HOME", elsewhere.toString()).env("XDG_CONFIG_HOME", "");
    Result login = h.run("login", url);
    assertThat(login.exit()).as(login.toString()).isZero();
    Path state = elsewhere.resolve(".config/coder-ssh");
    assertThat(state.resolve("credentials")).as(login.toString()).isDirectory();
    for (int i = 0; i < 2; i++) {
      Result r = ssh.ssh(h.env(), "coder.dev", "echo ok");
      assertThat(r.out()).as(r.toString()).isEqualTo("ok\n");
    }
    assertThat(Files.readAllLines(state.resolve("logs/proxy.log"))).as("the second connection")
        .anyMatch(l -> l.contains(" via the cached plan (no JVM)"));
  }
}
