package dev.coderssh.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

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
 * The real OpenSSH client through {@code bin/coder-ssh proxy --direct HOST:PORT}: the proxy signs in
 * from the store, resolves (and if need be starts) the workspace through the API, and its JVM
 * relays the bytes to the agent's SSH port itself (no CLI).
 */
class DirectTransportIT {
  @RegisterExtension
  static final SandboxExtension SANDBOX = SandboxExtension.create();
  @TempDir
  static Path dir;
  static String devAddress;
  Path home;
  Map<String, String> env;

  @BeforeAll
  static void findTheAgent() {
    devAddress = ProxyItSupport.agentAddress(SANDBOX, "demo", "dev");
  }

  /** The extension deletes every token before each test: sign in again, into a fresh home. */
  @BeforeEach
  void signIn() throws IOException {
    home = Files.createTempDirectory(dir, "home");
    env = ProxyItSupport.env(home);
    ProxyItSupport.login(SANDBOX, home);
  }

  private SshRunner direct(String address, String... extra) throws IOException {
    String flags = extra.length == 0 ? "" : " " + String.join(" ", extra);
    return new SshRunner(Files.createTempDirectory(dir, "cfg"), ProxyItSupport.launcher() + " proxy --url "
        + SANDBOX.url() + " --direct " + address + flags + " %h");
  }

  /** The proxy alone, stdin empty, as ssh would start it. */
  private Result proxy(String... args) {
    List<String> argv = new java.util.ArrayList<>(List.of(ProxyItSupport.launcher(), "proxy", "--url", SANDBOX.url()));
    argv.addAll(List.of(args));
    return SshRunner.run(argv, env, new byte[0], null);
  }

  /**
   * The direct transport's JVM stays for the session and leaves no plan: while it relays, it must
   * not hold the launcher's lock, or every other connection with the same ProxyCommand would wait
   * for a plan that never comes.
   */
  @Test
  void aRunningDirectSessionHoldsNoLockThatPeersWouldWaitFor() throws Exception {
    SshRunner runner = direct(devAddress);
    var session = java.util.concurrent.CompletableFuture.supplyAsync(() -> runner.ssh(env, "coder.dev",
        "sleep 4; echo done"));
    Path plans = home.resolve("cache/plans");
    // A guard against a hang, not a timing assertion: the session prints once its relay runs.
    for (int i = 0; i < 600 && !relaying(); i++) {
      Thread.sleep(50);
    }
    assertThat(relaying()).as("the direct session started").isTrue();
    try (var entries = Files.list(plans)) {
      assertThat(entries).as("lock directories while the session runs").isEmpty();
    }
    Result second = runner.ssh(env, "coder.dev", "echo second");
    assertThat(second.out()).as(second.toString()).isEqualTo("second\n");
    Result first = session.get();
    assertThat(first.out()).as(first.toString()).isEqualTo("done\n");
  }

  private boolean relaying() throws IOException {
    Path log = home.resolve("logs/proxy.log");
    return Files.exists(log) && Files.readString(log).contains("relay");
  }

  @Test
  void outputAndExitStatusPassThrough() throws IOException {
    Result r = direct(devAddress).ssh(env, "coder.dev", "echo hello from $(hostname); echo oops >&2; exit 3");
    assertThat(r.exit()).as(r.toString()).isEqualTo(3);
    assertThat(r.out()).isEqualTo("hello from dev\n");
    assertThat(r.stderr()).contains("oops");
  }

  /**
   * The first proxy run records the CDS archive at JVM exit. With the direct transport the JVM
   * relays until the session ends, and ssh then sends SIGHUP to the launcher: the launcher must
   * still rename the dump into place (it used to die on the signal, leaving a 9 MB temp file per
   * connection and never an archive).
   */
  @Test
  void aDirectSessionLeavesTheClassDataArchiveInPlaceAndNoTempFile() throws Exception {
    Result r = direct(devAddress).ssh(env, "coder.dev", "true");
    assertThat(r.exit()).as(r.toString()).isZero();
    awaitNoProcessWith("CODER_SSH_HOME=" + home);
    try (var files = Files.list(home.resolve("cache"))) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("plans")).toList())
          .hasSize(1).allMatch(n -> n.endsWith(".jsa"));
    }
    try (var plans = Files.list(home.resolve("cache/plans"))) {
      assertThat(plans).as("no plan for a direct session, and no lock left").isEmpty();
    }
  }

  /** Waits (with a guard against a hang, not a timing assertion) until the launcher has exited. */
  private static void awaitNoProcessWith(String envEntry) throws Exception {
    byte[] needle = (envEntry + "\0").getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 1200; i++) {
      boolean found = false;
      try (var procs = Files.list(Path.of("/proc"))) {
        for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
          try {
            byte[] environ = Files.readAllBytes(p.resolve("environ"));
            found |= indexOf(environ, needle) >= 0;
          } catch (IOException gone) {
            // exited meanwhile, or not ours
          }
        }
      }
      if (!found) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("a process with " + envEntry + " is still running");
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void stdinPassesThrough() throws IOException {
    Result r = direct(devAddress).ssh(env, "line one\nline two\n".getBytes(StandardCharsets.UTF_8), "coder.dev", "wc -l");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out().strip()).isEqualTo("2");
  }

  @Test
  void sixtyFourMebibytesRoundTripWithTheSameSha256() throws Exception {
    RoundTrips.sixtyFourMebibytes(direct(devAddress), env, dir, "coder.dev", 7);
  }

  @Test
  void sftpAndScpWork() throws IOException {
    RoundTrips.scpAndSftp(direct(devAddress), env, dir, "coder.dev");
  }

  /**
   * A stopped workspace has no agent to dial, so the relay goes to dev's agent; what is checked is
   * the proxy's part: it starts the workspace (one build), says so on stderr, waits for the agent to
   * connect, and only then relays.
   */
  @Test
  void aStoppedWorkspaceIsStartedWithProgressOnStderr() throws IOException {
    SANDBOX.sandbox().addWorkspace("demo", "dozing", List.of("main"), false);
    Result r = direct(devAddress).ssh(env, "coder.dozing", "echo relayed");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("relayed\n");
    assertThat(r.stderr()).contains("workspace demo/dozing is stopped, starting it...");
    assertThat(SANDBOX.client().stats()).containsEntry("builds_started", 1);
    // The started workspace's own agent is up now, and reachable the same way.
    String own = ProxyItSupport.agentAddress(SANDBOX, "demo", "dozing");
    Result again = direct(own).ssh(env, "coder.dozing", "hostname");
    assertThat(again.out()).as(again.toString()).isEqualTo("dozing\n");
    assertThat(SANDBOX.client().stats()).containsEntry("builds_started", 1);
  }

  @Test
  void disableAutostartRefusesWithOneLine() throws IOException {
    SANDBOX.sandbox().addWorkspace("demo", "stays-off", List.of("main"), false);
    Result viaSsh = direct(devAddress, "--disable-autostart").ssh(env, "coder.stays-off", "true");
    assertThat(viaSsh.exit()).as(viaSsh.toString()).isEqualTo(255);
    assertThat(viaSsh.out()).isEmpty();
    Result r = proxy("--direct", devAddress, "--disable-autostart", "coder.stays-off");
    assertThat(r.exit()).as(r.toString()).isNotZero();
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr().strip().lines().toList()).as(r.stderr()).hasSize(1).first().asString()
        .contains("stays-off", "stopped", "--disable-autostart");
    assertThat(SANDBOX.client().stats()).containsEntry("builds_started", 0);
  }

  @Test
  void anUnknownWorkspaceIsOneLineListingTheCandidatesAndNoStdout() throws IOException {
    Result viaSsh = direct(devAddress).ssh(env, "coder.nosuch", "true");
    assertThat(viaSsh.exit()).as(viaSsh.toString()).isEqualTo(255);
    assertThat(viaSsh.out()).isEmpty();
    assertThat(viaSsh.stderr()).contains("no workspace \"nosuch\"");
    Result r = proxy("--direct", devAddress, "coder.nosuch");
    assertThat(r.exit()).as(r.toString()).isEqualTo(4);
    assertThat(r.stdout()).as("ProxyCommand stdout").isEmpty();
    assertThat(r.stderr().strip().lines().toList()).as(r.stderr()).hasSize(1).first().asString()
        .contains("no workspace \"nosuch\"", "dev", "multi", "stopped");
  }

  /**
   * A relay that fails after sign-in and the API resolved the workspace: the one path where the
   * JVM owns the real stdout (fd 4) under the launcher. One line, exit 1, not a byte on stdout.
   */
  @Test
  void aRelayThatCannotConnectIsOneLineAndZeroBytesOnStdout() throws IOException {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    Result r = proxy("--direct", "127.0.0.1:" + closed, "coder.dev");
    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    assertThat(r.stdout()).as("ProxyCommand stdout").isEmpty();
    assertThat(r.stderr().strip().lines().toList()).as(r.stderr()).hasSize(1).first().asString()
        .startsWith("coder-ssh proxy: cannot reach 127.0.0.1:" + closed + ": ");
  }
}
