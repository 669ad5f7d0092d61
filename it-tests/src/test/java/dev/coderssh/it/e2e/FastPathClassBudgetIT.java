package dev.coderssh.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.testing.LauncherFlags;
import dev.coderssh.it.fixture.RepoPaths;
import dev.coderssh.it.fixture.SandboxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6's class budget on the REAL path: after a real sign-in, the shaded jar's
 * {@code Main proxy --coder-binary /bin/true} (core's real store and token check, no fake) is
 * counted with -Xlog:class+load against an empty main on the same JVM flags as bin/coder-ssh
 * (minus its CDS archive), so no later change can quietly put OkHttp, Jackson, Kotlin, regex or a
 * lambda bootstrap back on the path every ssh connection pays for. ssh-proxy's
 * FastPathClassBudgetTest keeps the same guard over the proxy's own code with a fake core.
 */
class FastPathClassBudgetIT {
  /**
   * Classes the real fast path may load beyond an empty main. Measured 2026-11-29 on JDK 17.0.15:
   * 353 (48 of them ours: proxy, core store/token, log; the rest java.util, NIO file system and
   * attributes, zip/jar for the launcher jar, security providers for the store). Budget = 353 plus
   * about 25% headroom for JDK updates; OkHttp alone adds several hundred, so it still trips.
   * 2026-12-01 (issue 15): 399, of them 68 jackson-core classes (the streaming parser that reads the
   * credentials file; its factory's verification pulls in the generators too) and about 25 JDK ones
   * it uses (readers, VarHandles behind AtomicReference, BigDecimal). The budget stays.
   */
  static final int BUDGET = 440;
  static final List<String> FORBIDDEN_PREFIXES = List.of("okhttp3.", "okio.", "kotlin.",
      "com.fasterxml.jackson.databind.", "java.util.regex.", "java.lang.invoke.LambdaForm",
      "java.lang.invoke.LambdaMetafactory", "java.lang.invoke.InnerClassLambdaMetafactory", "picocli.");
  @RegisterExtension
  static final SandboxExtension SANDBOX = SandboxExtension.create();
  @TempDir
  Path dir;

  /** What {@code mainAndArgs} loads in a JVM with bin/coder-ssh's proxy flags (no class-data archive of ours). */
  private Set<String> loaded(String name, String classpath, Path home, String... mainAndArgs) throws Exception {
    return new LinkedHashSet<>(LauncherFlags.loadedClasses(dir, name, classpath,
        Map.of("CODER_SSH_HOME", home.toString(), "CODER_SSH_PLAN_FD", "3"), mainAndArgs));
  }

  @Test
  void theRealFastPathStaysWithinItsBudgetAndLoadsNoHttpJsonRegexOrLambdas() throws Exception {
    Path home = dir.resolve("home");
    ProxyItSupport.login(SANDBOX, home);
    SANDBOX.sandbox().resetStats();
    String jar = RepoPaths.root().resolve("ssh-proxy/target/coder-ssh.jar").toString();
    String testClasses = RepoPaths.root().resolve("it-tests/target/test-classes").toString();

    Set<String> baseline = loaded("empty", testClasses, home, EmptyMainForBudget.class.getName());
    Set<String> fast = loaded("fast", jar, home, "dev.coderssh.app.Main", "proxy", "--url", SANDBOX.url(),
        "--coder-binary", "/bin/true", "coder.dev");

    // It really took the fast path: a plan to exec /bin/true, and no request reached the server.
    assertThat(Files.readString(dir.resolve("fast.plan"))).startsWith("coder-ssh-plan-1\n")
        .contains("arg /bin/true\n", "arg dev\n").endsWith("coder-ssh-plan-end\n");
    assertThat(SANDBOX.client().stats().get("token_requests"))
        .isEqualTo(Map.of("authorization_code", 0, "refresh_token", 0));

    List<String> extra = new ArrayList<>(fast);
    extra.removeAll(baseline);
    Files.write(dir.resolve("extra.txt"), extra);
    assertThat(extra).as("forbidden classes on the fast path")
        .noneMatch(c -> FORBIDDEN_PREFIXES.stream().anyMatch(c::startsWith) || c.contains("$$Lambda"));
    assertThat(extra.size()).as("classes beyond an empty main: %s", extra).isLessThanOrEqualTo(BUDGET);
  }
}
