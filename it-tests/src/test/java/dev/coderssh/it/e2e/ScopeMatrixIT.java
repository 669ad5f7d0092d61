package dev.coderssh.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.scope.Capability;
import dev.coderssh.core.scope.ScopeCatalog;
import dev.coderssh.it.fixture.CoderSsh;
import dev.coderssh.it.fixture.SandboxClient;
import dev.coderssh.it.fixture.SandboxExtension;
import dev.coderssh.it.fixture.SshRunner;
import dev.coderssh.it.fixture.SshRunner.Result;
import dev.coderssh.sandbox.Profile;
import dev.coderssh.sandbox.Sandbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scopes against a server that enforces them (the {@code current} profile, pinned: the legacy
 * one ignores scopes, so nothing here could fail there). With the default scopes a whole session
 * (config-ssh; ssh to a running, a stopped, an outdated and a dormant workspace; activity reports
 * every 200 ms) has no refused call in {@code /sandbox/stats}; each default scope left out breaks
 * a named call, which {@code doctor} and {@code status} name too. Each test gets a freshly seeded
 * deployment, since a session starts the stopped workspaces.
 */
class ScopeMatrixIT {
  static final String COORDINATE = "GET /api/v2/workspaceagents/{workspaceagent}/coordinate";
  static final String USAGE = "POST /api/v2/workspaces/{workspace}/usage";
  static final String DORMANT = "PUT /api/v2/workspaces/{workspace}/dormant";
  static final String BUILDS = "POST /api/v2/workspaces/{workspace}/builds";
  static final String DRY_RUN = "POST /api/v2/templateversions/{templateversion}/dry-run";
  static final String USERS_ME = "GET /api/v2/users/{user}";
  static final String EXTERNAL_AUTH = "GET /api/v2/templateversions/{templateversion}/external-auth";
  static final List<String> PROBES = List.of("who-am-i", "workspace-lookup", "connect", "activity-report");

  @TempDir
  Path dir;
  Sandbox sandbox;
  SandboxClient api;
  CoderSsh cs;
  Path sshConfig;

  /**
   * One default scope left out, and what that shows.
   *
   * @param devError null when {@code ssh coder.dev} still works, else what its failure says
   * @param target a workspace whose connection the scope decides (null: none beyond dev)
   * @param targetError null when connecting to {@code target} still works
   * @param denied exactly the refused calls of login plus both connections
   * @param doctorCheck the doctor line that fails besides "scopes" (or "scopes" alone)
   * @param doctorSays what that line says
   * @param missing status's capabilities lacking on every scope-enforcing version
   * @param versionDependent those lacking on some versions only
   */
  record Case(String leftOut, String devError, String target, String targetError, Set<String> denied,
      boolean recordsUse, String doctorCheck, String doctorSays, List<String> missing, List<String> versionDependent) {
    @Override
    public String toString() {
      return "without " + leftOut;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("coder:workspaces.access", "dial workspace agent", null, null, Set.of(COORDINATE), false,
            "connect", "lacks workspace:ssh", List.of("connect"), List.of()),
        new Case("coder:workspaces.operate", null, "dormant", "activate workspace", Set.of(USAGE, DORMANT), false,
            "activity-report", "lacks workspace:update", List.of("undormant", "activity-report"), List.of("start")),
        new Case("workspace:start", null, "stopped", "Unable to start the workspace", Set.of(BUILDS), true,
            "scopes", "on some versions start", List.of(), List.of("start")),
        new Case("workspace:create", null, "outdated", "with the template's active version", Set.of(DRY_RUN), true,
            "scopes", "lacks start-outdated", List.of("start-outdated"), List.of()),
        // The newest access composite includes template:read, so on this server nothing breaks;
        // older scope-enforcing versions' composite lacks it, hence "on some versions".
        new Case("template:read", null, "stopped", null, Set.of(), true,
            "scopes", "on some versions workspace-lookup", List.of(), List.of("workspace-lookup")),
        new Case("user:read", null, null, null, Set.of(USERS_ME), true,
            "who-am-i", "lacks user:read", List.of("who-am-i"), List.of()),
        new Case("user:read_personal", null, "stopped", "external auth", Set.of(EXTERNAL_AUTH), true,
            "scopes", "lacks external-auth", List.of("external-auth"), List.of()));
  }

  @BeforeEach
  void freshDeployment() throws Exception {
    sandbox = SandboxExtension.startFresh(Profile.CURRENT, o -> o.withUsageInterval(Duration.ofMillis(200)));
    api = new SandboxClient(sandbox.url(), sandbox.username(), sandbox.password());
    cs = new CoderSsh(dir).withSandboxBrowser("allow");
    sshConfig = dir.resolve("ssh_config");
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  @Test
  void theCasesLeaveOutEachDefaultScopeOnce() {
    assertThat(cases().map(Case::leftOut)).containsExactlyInAnyOrderElementsOf(ScopeCatalog.DEFAULT);
  }

  @Test
  void withTheDefaultScopesAWholeSessionHasNoRefusedCallAndIsRecordedAsUse() {
    String url = sandbox.url();
    Result login = cs.run("login", url);
    assertThat(login.exit()).as(login.toString()).isZero();
    assertThat(login.stderr()).doesNotContain("Warning");
    assertThat(cs.run("status", url).out()).doesNotContain("lacks");
    configSsh();

    Result dev = ssh("coder.dev", "sleep 2; echo on $(hostname)");
    assertThat(dev.exit()).as(dev.toString()).isZero();
    assertThat(dev.out()).isEqualTo("on dev\n");
    assertThat(usageReports()).as("the report at the start and at least one of the 200 ms ones").isGreaterThanOrEqualTo(2);
    for (String ws : List.of("stopped", "outdated", "dormant")) {
      Result r = ssh("coder." + ws, "echo up on $(hostname)");
      assertThat(r.exit()).as(r.toString()).isZero();
      assertThat(r.out()).isEqualTo("up on " + ws + "\n");
      assertThat(r.stderr()).contains("Workspace was stopped, starting workspace...");
    }
    Map<String, Object> stats = api.stats();
    assertThat(stats.get("denied")).as("a whole session, autostart included, without one refused call")
        .isEqualTo(Map.of());
    assertThat(stats).containsEntry("builds_started", 3);
    assertThat(usageReports()).isPositive();

    Result doctor = doctor();
    for (String probe : PROBES) {
      assertThat(doctor.out()).as(doctor.toString()).contains("ok   " + probe + ": ");
    }
    assertThat(doctor.out()).contains("ok   scopes: ", "all checks passed");
    assertThat(api.stats().get("denied")).as("nor do doctor's probes").isEqualTo(Map.of());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void eachDefaultScopeLeftOutBreaksANamedCallThatDoctorAndStatusName(Case c) {
    String url = sandbox.url();
    List<String> others = new ArrayList<>(ScopeCatalog.DEFAULT);
    others.remove(c.leftOut());
    Result login = cs.run("login", url, "--scope", String.join(" ", others));
    assertThat(login.exit()).as(login.toString()).isZero();
    for (String id : concat(c.missing(), c.versionDependent())) {
      assertThat(login.stderr()).as("login warns").contains("(" + id + " needs ");
    }
    configSsh();

    Result dev = ssh("coder.dev", "sleep 1; echo on $(hostname)");
    if (c.devError() == null) {
      assertThat(dev.exit()).as(dev.toString()).isZero();
      assertThat(dev.out()).isEqualTo("on dev\n");
    } else {
      assertThat(dev.exit()).as(dev.toString()).isEqualTo(255);
      assertThat(dev.out()).isEmpty();
      assertThat(dev.stderr()).contains(c.devError());
    }
    if (c.target() != null) {
      Result r = ssh("coder." + c.target(), "echo up on $(hostname)");
      if (c.targetError() == null) {
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("up on " + c.target() + "\n");
      } else {
        assertThat(r.exit()).as(r.toString()).isEqualTo(255);
        assertThat(r.stderr()).contains(c.targetError());
      }
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> denied = (Map<String, Object>) api.stats().get("denied");
    assertThat(denied.keySet()).as("the refused calls").containsExactlyInAnyOrderElementsOf(c.denied());
    if (c.recordsUse()) {
      assertThat(usageReports()).isPositive();
    } else {
      assertThat(usageReports()).as("the session is not recorded as use").isZero();
    }

    Result doctor = doctor();
    assertThat(doctor.exit()).as(doctor.toString()).isEqualTo(1);
    List<String> failed = doctor.out().lines().filter(l -> l.startsWith("FAIL ")).toList();
    assertThat(failed).as(doctor.out()).extracting(l -> l.substring(5, l.indexOf(':')))
        .containsExactlyInAnyOrderElementsOf(Stream.of("scopes", c.doctorCheck()).distinct().toList());
    assertThat(failed).filteredOn(l -> l.startsWith("FAIL " + c.doctorCheck() + ": ")).singleElement().asString()
        .contains(c.doctorSays()).contains("coder-ssh login " + url);
    for (String probe : PROBES) {
      if (!probe.equals(c.doctorCheck())) {
        assertThat(doctor.out()).as(doctor.out()).contains("ok   " + probe + ": ");
      }
    }

    Result status = cs.run("status", url);
    assertThat(status.exit()).as(status.toString()).isZero();
    for (String id : concat(c.missing(), c.versionDependent())) {
      assertThat(status.out()).as(status.out()).contains(id + ": " + capability(id).withoutIt());
    }
    assertThat(status.out()).contains(c.missing().isEmpty() ? "lacks on some versions" : "  lacks:    " + c.missing().get(0))
        .contains("fix:      run `coder-ssh login " + url + "` again");
    Map<String, Object> json = SandboxClient.json(cs.run("status", url, "--json").out());
    assertThat(json).containsEntry("missing_capabilities", c.missing())
        .containsEntry("version_dependent_capabilities", c.versionDependent());
  }

  private void configSsh() {
    Result r = cs.run("config-ssh", sandbox.url(), "--ssh-config-file", sshConfig.toString(), "--yes");
    assertThat(r.exit()).as(r.toString()).isZero();
  }

  /** ssh through the entries config-ssh wrote, as a user runs it. */
  private Result ssh(String host, String command) {
    return SshRunner.run(List.of("ssh", "-F", sshConfig.toString(), "-o", "BatchMode=yes", host, command), cs.env(),
        new byte[0], null);
  }

  private Result doctor() {
    return cs.run("doctor", "--ssh-config-file", sshConfig.toString(), sandbox.url());
  }

  private long usageReports() {
    return ((Number) api.stats().get("usage_reports")).longValue();
  }

  private static Capability capability(String id) {
    return Stream.of(Capability.values()).filter(c -> c.id().equals(id)).findFirst().orElseThrow();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return Stream.concat(a.stream(), b.stream()).toList();
  }
}
