package dev.coderssh.sandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.it.fixture.SandboxExtension;
import dev.coderssh.sandbox.Profile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stand-in {@code coder ssh --stdio} as a process against a scope-enforcing sandbox: its calls
 * carry the real CLI's permissions, so a token missing a scope shows up in the denied stats (or
 * fails the session where the real one would fail).
 */
class SshSessionTest {
  private static final long GUARD_SECONDS = 120;
  static final String FULL = "coder:workspaces.access coder:workspaces.operate workspace:start user:read"
      + " user:read_personal";

  @RegisterExtension
  static final SandboxExtension SANDBOX = SandboxExtension.profile(Profile.CURRENT,
      o -> o.withUsageInterval(Duration.ofMillis(200)));

  @TempDir
  Path dir;

  @Test
  void aSessionWithTheFullScopeSetHasNoDeniedCallAndReportsActivityEveryInterval() throws Exception {
    Session s = open("coder.dev", FULL);
    try {
      assertThat(s.banner()).isEqualTo("SSH-2.0-");
      waitFor(() -> ((Number) SANDBOX.client().stats().get("usage_reports")).longValue() >= 3);
    } finally {
      s.close();
    }
    assertThat(SANDBOX.client().stats()).containsEntry("denied", Map.of());
  }

  @Test
  void withoutWorkspaceUpdateTheSessionWorksButItsActivityIsRefused() throws Exception {
    Session s = open("coder.dev", "coder:workspaces.access user:read");
    try {
      assertThat(s.banner()).isEqualTo("SSH-2.0-");
      waitFor(() -> SANDBOX.client().stats().get("denied") instanceof Map<?, ?> m && !m.isEmpty());
    } finally {
      s.close();
    }
    assertThat(SANDBOX.client().stats()).containsEntry("usage_reports", 0);
    @SuppressWarnings("unchecked")
    Map<String, Object> denied = (Map<String, Object>) SANDBOX.client().stats().get("denied");
    assertThat(denied).containsOnlyKeys("POST /api/v2/workspaces/{workspace}/usage");
  }

  @Test
  void withoutWorkspaceSshTheCoordinateCallFailsTheSession() throws Exception {
    Session s = open("coder.dev", "workspace:read template:read workspace:update");
    int exit = s.close();
    assertThat(exit).isNotZero();
    assertThat(s.stderr()).contains("dial workspace agent");
    assertThat(SANDBOX.client().stats().get("denied"))
        .isEqualTo(Map.of("GET /api/v2/workspaceagents/{workspaceagent}/coordinate", 1));
  }

  @Test
  void anOutdatedWorkspaceIsStartedOnTheActiveVersionWhenTheTokenMayDryRun() throws Exception {
    Session s = open("outdated.coder", FULL + " workspace:create");
    try {
      assertThat(s.banner()).as("stderr").isEqualTo("SSH-2.0-");
    } finally {
      s.close();
    }
    assertThat(s.stderr()).contains("Workspace was stopped, starting workspace...");
    assertThat(SANDBOX.client().stats()).containsEntry("denied", Map.of()).containsEntry("builds_started", 1);
  }

  @Test
  void aDormantWorkspaceIsActivatedFirstWhichNeedsWorkspaceUpdate() throws Exception {
    Session refused = open("coder.dormant", "coder:workspaces.access workspace:start user:read user:read_personal");
    assertThat(refused.close()).isNotZero();
    assertThat(refused.stderr()).contains("activate workspace");
    assertThat(SANDBOX.client().stats().get("denied"))
        .isEqualTo(Map.of("PUT /api/v2/workspaces/{workspace}/dormant", 1));
    SANDBOX.sandbox().resetStats();
    Session s = open("coder.dormant", FULL);
    try {
      assertThat(s.banner()).isEqualTo("SSH-2.0-");
    } finally {
      s.close();
    }
    assertThat(SANDBOX.client().stats()).containsEntry("denied", Map.of());
  }

  // ---------------------------------------------------------------------------------------------

  /** A running {@code coder ssh --stdio}; stdin open until {@link #close()}. */
  private record Session(Process process, CompletableFuture<byte[]> err) {
    String banner() throws IOException {
      byte[] b = process.getInputStream().readNBytes(8);
      return new String(b, StandardCharsets.UTF_8);
    }

    int close() throws Exception {
      process.getOutputStream().close();
      drain(process.getInputStream());
      if (!process.waitFor(GUARD_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      err.get(GUARD_SECONDS, TimeUnit.SECONDS);
      return process.exitValue();
    }

    String stderr() throws Exception {
      return new String(err.get(GUARD_SECONDS, TimeUnit.SECONDS), StandardCharsets.UTF_8);
    }
  }

  private Session open(String host, String scope) throws IOException {
    Path coder = SANDBOX.sandbox().writeCli(dir);
    ProcessBuilder pb = new ProcessBuilder(coder.toString(), "--url", SANDBOX.url(), "ssh", "--stdio",
        "--ssh-host-prefix", "coder.", "--hostname-suffix", "coder", host);
    pb.environment().keySet().removeIf(k -> k.startsWith("CODER_") || k.startsWith("JAVA_TOOL")
        || k.startsWith("JDK_JAVA"));
    pb.environment().put("CODER_SESSION_TOKEN", SANDBOX.client().login(scope).accessToken());
    Process p = pb.start();
    return new Session(p, drain(p.getErrorStream()));
  }

  private static CompletableFuture<byte[]> drain(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try (in) {
        return in.readAllBytes();
      } catch (IOException e) {
        return new byte[0];
      }
    });
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GUARD_SECONDS);
    while (!condition.getAsBoolean()) {
      // a guard against a session that never gets there, not a timing assertion
      assertThat(System.nanoTime()).as("condition never held").isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
