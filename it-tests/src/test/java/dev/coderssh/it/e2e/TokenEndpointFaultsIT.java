package dev.coderssh.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.it.fixture.CoderSsh;
import dev.coderssh.it.fixture.SandboxExtension;
import dev.coderssh.it.fixture.SshRunner.Result;
import dev.coderssh.sandbox.faults.Fault;
import dev.coderssh.sandbox.faults.FaultKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every token-endpoint fault switch of the sandbox, through {@code coder-ssh token} with a stale
 * sign-in: a transient fault within the retry budget ends in a good refresh; a lasting one ends
 * after a bounded number of attempts with one clear line, and the stored credentials are byte for
 * byte what they were (a broken answer never replaces them) and still refresh once the fault
 * clears.
 *
 * <p>{@code hang} holds one request past the client's 10 s per-attempt timeout (a lasting hang
 * would cost the client's whole 20 s budget; the bounded-attempts path is the same as for
 * {@code reset}, which is exercised lasting).
 */
class TokenEndpointFaultsIT {
  @RegisterExtension
  static final SandboxExtension SANDBOX = SandboxExtension.create();
  static final Set<FaultKind> EXERCISED = EnumSet.noneOf(FaultKind.class);
  @TempDir
  Path dir;
  CoderSsh cs;
  String url;

  /** A fault and what coder-ssh must make of it. {@code requests}: refresh requests that reach the server. */
  record Case(FaultKind kind, int count, long param, boolean succeeds, int requests, String line) {
    @Override
    public String toString() {
      return kind.wireName() + " x" + count + (succeeds ? " -> refreshed" : " -> one line, sign-in kept");
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(FaultKind.DELAY, 1, 1000, true, 1, null),
        // Held past the client's 10 s per-attempt timeout: the attempt is abandoned, the retry works.
        new Case(FaultKind.HANG, 1, 12_000, true, 2, null),
        new Case(FaultKind.RESET, 4, 0, false, 4, "cannot reach"),
        new Case(FaultKind.STATUS_500, 1, 0, true, 2, null),
        new Case(FaultKind.STATUS_503, 4, 1, false, 4, "temporarily_unavailable"),
        new Case(FaultKind.STATUS_429, 1, 1, true, 2, null),
        new Case(FaultKind.INVALID_JSON, 1, 0, false, 1, "not JSON"),
        new Case(FaultKind.HUGE_BODY, 4, 0, false, 4, "larger than"),
        new Case(FaultKind.WRONG_CONTENT_TYPE, 1, 0, false, 1, "not JSON"),
        // RFC 6749 section 6: no new refresh token, so the sent one is kept with the new access token.
        new Case(FaultKind.MISSING_REFRESH_TOKEN, 1, 0, true, 1, null),
        // The sandbox still sends "expiry" (RFC 3339), which the client uses instead.
        new Case(FaultKind.MISSING_EXPIRES_IN, 1, 0, true, 1, null));
  }

  /**
   * One sign-in for all cases (each case makes it stale again); the case that uses the refresh
   * token up ({@code missing_refresh_token}) comes last.
   */
  @TestFactory
  Stream<DynamicTest> everyFaultEndsInARefreshOrOneLineAndNeverCostsTheStoredSignIn() {
    url = SANDBOX.url();
    cs = new CoderSsh(dir).withSandboxBrowser("allow");
    Result login = cs.run("login", url);
    assertThat(login.exit()).as(login.toString()).isZero();
    cs.withRecordingBrowser();
    return cases().sorted(java.util.Comparator.comparing(c -> c.kind() == FaultKind.MISSING_REFRESH_TOKEN))
        .map(c -> DynamicTest.dynamicTest(c.toString(), () -> check(c)));
  }

  private void check(Case c) throws Exception {
    EXERCISED.add(c.kind());
    cs.ageAccessToken(url);
    SANDBOX.sandbox().expireTokens("demo", true, false);
    SANDBOX.sandbox().resetStats();
    byte[] before = Files.readAllBytes(cs.credentialsFile(url));
    String oldRefresh = (String) cs.credentials(url).get("refresh_token");
    SANDBOX.sandbox().injectFault(new Fault(c.kind(), c.count(), c.param()));

    Result r = cs.run("token", url);

    assertThat(refreshRequests()).as("bounded attempts").isEqualTo(c.requests());
    assertThat(SANDBOX.sandbox().faults().pending()).as("every injected fault was consumed").isEmpty();
    assertThat(cs.browserLaunches()).isZero();
    if (c.succeeds()) {
      assertThat(r.exit()).as(r.toString()).isZero();
      String token = r.out().strip();
      assertThat(cs.credentials(url)).containsEntry("access_token", token);
      assertThat(SANDBOX.client().get("/api/v2/users/me", token).statusCode()).isEqualTo(200);
      if (c.kind() != FaultKind.MISSING_REFRESH_TOKEN) {
        assertThat(cs.credentials(url).get("refresh_token")).isNotEqualTo(oldRefresh);
        return;
      }
      assertThat(cs.credentials(url)).containsEntry("refresh_token", oldRefresh);
      // The sandbox, like Coder, rotated anyway: the kept refresh token is used up, so the next
      // refresh ends the sign-in with the clear exit 3 (the access token worked until then).
      cs.ageAccessToken(url);
      SANDBOX.sandbox().expireTokens("demo", true, false);
      Result next = cs.run("token", url);
      assertThat(next.exit()).as(next.toString()).isEqualTo(3);
      assertThat(next.stderr()).contains("run `coder-ssh login " + url + "`");
      return;
    }
    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    assertThat(r.out()).as("no token on stdout").isEmpty();
    assertThat(r.stderr().lines().toList()).as(r.stderr()).singleElement().asString()
        .startsWith("coder-ssh token: could not refresh").contains(c.line()).contains("stored sign-in kept");
    assertThat(Files.readAllBytes(cs.credentialsFile(url))).as("stored credentials untouched").isEqualTo(before);

    // The fault is over: the kept sign-in refreshes with exactly one request.
    SANDBOX.sandbox().resetStats();
    Result after = cs.run("token", url);
    assertThat(after.exit()).as(after.toString()).isZero();
    assertThat(refreshRequests()).isEqualTo(1);
    assertThat(SANDBOX.client().get("/api/v2/users/me", after.out().strip()).statusCode()).isEqualTo(200);
  }

  @AfterAll
  static void everySwitchWasExercised() {
    assertThat(EXERCISED).containsExactlyInAnyOrderElementsOf(List.of(FaultKind.values()));
  }

  private static int refreshRequests() {
    @SuppressWarnings("unchecked")
    Map<String, Object> requests = (Map<String, Object>) SANDBOX.client().stats().get("token_requests");
    return ((Number) requests.get("refresh_token")).intValue();
  }
}
