package dev.coderssh.it.real;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coderssh.it.fixture.CoderSsh;
import dev.coderssh.it.fixture.LongSession;
import dev.coderssh.it.fixture.RealCoderExtension;
import dev.coderssh.it.fixture.SshRunner;
import dev.coderssh.it.fixture.SshRunner.Result;
import dev.coderssh.realcoder.Api;
import dev.coderssh.realcoder.Deployment;
import dev.coderssh.realcoder.Release;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20 on the real Coder (newest release, default 24 h session duration): a long session
 * keeps its key (no refresh deletes it under the session) across local expiry periods and a coderd
 * restart, and its activity reports keep succeeding; a key revoked at the server is still noticed
 * once the 10-minute confirmation has lapsed ("sign in again", exit 3).
 *
 * <p>Time is simulated on both sides: each local expiry period by ageing the stored credentials
 * (as {@link CoderSsh#ageAccessToken} does, plus the last check and the end the server last
 * reported), the server's by backdating the key in PostgreSQL so it is more than an hour into its
 * lifetime (the rule under which Coder extends a used key).
 */
class SessionLifeRealCoderIT {
  static final Pattern STATUS = Pattern.compile("status_code=(\\d+)");
  static final long DAY_MS = Duration.ofDays(1).toMillis();
  static final ObjectMapper JSON = new ObjectMapper();
  @RegisterExtension
  static final RealCoderExtension CODER = RealCoderExtension.of(Release.NEWEST);
  @TempDir
  Path dir;
  Deployment d;
  String url;
  CoderSsh cs;
  String token;
  String keyId;
  SshRunner ssh;

  /** Signed in (its own key) and connected once (the first connection downloads the CLI). */
  @BeforeEach
  void signInAndConnect() throws IOException {
    d = CODER.deployment();
    url = d.url();
    cs = new CoderSsh(dir.resolve("user")).withRealCoderBrowser(d.fixture(), false);
    Result login = cs.run("login", url);
    assertThat(login.exit()).as(login.toString()).isZero();
    token = (String) cs.credentials(url).get("access_token");
    keyId = token.substring(0, token.indexOf('-'));
    ssh = new SshRunner(dir, CoderSsh.launcher() + " proxy --url " + url + " %h");
    Result first = ssh.ssh(cs.env(), "coder.dev", "echo ok");
    assertThat(first.exit()).as(first.toString()).isZero();
  }

  @Test
  void aSessionOpenAcrossThreeLocalExpiriesAndARestartKeepsItsKeyAndItsActivityReports() throws Exception {
    String ws = d.workspaces().get("dev").id();
    long tokensBefore = d.tokenRequests();
    int logFrom = d.serverLogLines().size();
    List<String> periods = new ArrayList<>();
    List<Integer> sessionReports = new ArrayList<>();
    try (LongSession s = LongSession.open(ssh.config(), cs.env(), "coder.dev")) {
      assertThat(s.echo("start", Duration.ofSeconds(60))).as(s.stderr()).isTrue();
      assertThat(nextUsage(d, ws, logFrom, Duration.ofSeconds(75))).as("the session's first activity report")
          .containsOnly(204);
      Path sessionFile = sessionFile(cs, keyId);
      assertThat(sessionFile).as("the launcher recorded the session by its key").isNotNull();
      for (int k = 1; k <= 3; k++) {
        ageLocal(cs, url, k);
        backdateAtServer(d, keyId);
        Thread.sleep(1100); // the plan cache compares whole-second mtimes: the aged file must read as newer
        Result other = ssh.ssh(cs.env(), "coder.dev", "echo ok-0" + k);
        assertThat(other.exit()).as("period " + k + ": " + other).isZero();
        assertThat(other.out()).isEqualTo("ok-0" + k + "\n");
        Map<String, Object> c = cs.credentials(url);
        assertThat(c.get("access_token")).as("period " + k + ": kept, not rotated under the session").isEqualTo(token);
        long acceptedUntil = ((Number) c.get("accepted_until_ms")).longValue();
        assertThat(acceptedUntil).as("period " + k + ": the end the server reported (moved on by the check)")
            .isGreaterThan(System.currentTimeMillis() + Duration.ofHours(23).toMillis());
        assertThat(d.tokenRequests() - tokensBefore).as("period " + k + ": token requests").isZero();
        assertThat(s.echo("period-" + k, Duration.ofSeconds(30))).as("period " + k + ": " + s.stderr()).isTrue();
        if (k == 2) {
          d.restart();
          assertThat(echoWithin(s, "restart", Duration.ofSeconds(90))).as("after the restart: " + s.stderr()).isTrue();
          Result after = ssh.ssh(cs.env(), "coder.dev", "echo after-restart");
          assertThat(after.exit()).as(after.toString()).isZero();
        }
        // Only the session runs now (the other connections have ended, their own reports with them):
        // the next report is the session's, sent with the key it has held since it started.
        Thread.sleep(2000);
        int mark = d.serverLogLines().size();
        List<Integer> usage = nextUsage(d, ws, mark, Duration.ofSeconds(75));
        sessionReports.addAll(usage);
        periods.add("period " + k + ": the session's next activity report " + usage + ", token requests "
            + (d.tokenRequests() - tokensBefore));
        assertThat(usage).as("period " + k + ": the session's activity report").containsOnly(204);
        assertThat(usageLines(d, ws, mark)).as("period " + k + ": sent with the key the session started with")
            .allSatisfy(l -> assertThat(l).contains(" api_key_id=" + keyId + " "));
      }
      JsonNode key = d.api().get("/api/v2/users/me/keys/" + keyId).ok();
      assertThat(Instant.parse(key.get("expires_at").asText())).as("the key at the server")
          .isAfter(Instant.now().plus(Duration.ofHours(23)));
      List<Integer> all = usageSince(d, ws, logFrom);
      System.out.println("SESSION-LIFE " + periods + "; the session's own reports " + sessionReports
          + "; all activity reports (the session's and the short connections') " + all + "; token requests "
          + (d.tokenRequests() - tokensBefore) + "; session pid file " + sessionFile.getFileName());
      assertThat(all).as("every activity report while the session ran").isNotEmpty().containsOnly(204);
      assertThat(d.tokenRequests() - tokensBefore).as("token requests while the session held the key").isZero();
    }
    // The session is over: the next due decision rotates (one refresh), as the design promises.
    waitGone(cs, keyId);
    ageLocal(cs, url, 4);
    Thread.sleep(1100);
    long mark = d.tokenRequests();
    Result after = ssh.ssh(cs.env(), "coder.dev", "echo rotated");
    assertThat(after.exit()).as(after.toString()).isZero();
    assertThat(d.tokenRequests() - mark).as("token requests once no session holds the key").isEqualTo(1);
    assertThat(cs.credentials(url).get("access_token")).isNotEqualTo(token);
    System.out.println("SESSION-LIFE after the session ended: token requests " + (d.tokenRequests() - mark));
  }

  @Test
  void aKeyDeletedAtTheServerIsNoticedOnceTheConfirmationLapses() throws Exception {
    // The owner deletes the key (what an admin or "log out everywhere" does).
    Api.Answer del = d.api().delete("/api/v2/users/me/keys/" + keyId);
    assertThat(del.status()).as(del.text()).isBetween(200, 204);
    assertThat(new Api(url).withToken(token).get("/api/v2/users/me").status()).isEqualTo(401);
    // Ten minutes later: the last confirmation has lapsed (aged, not slept).
    Thread.sleep(1100);
    Map<String, Object> c = cs.credentials(url);
    c.put("checked_at_ms", System.currentTimeMillis() - Duration.ofMinutes(11).toMillis());
    write(cs, url, c);
    long tokens = d.tokenRequests();
    Result direct = cs.run("proxy", "--url", url, "coder.dev");
    System.out.println("SESSION-LIFE revoked: " + direct + "; token requests " + (d.tokenRequests() - tokens));
    assertThat(direct.exit()).as(direct.toString()).isEqualTo(3);
    assertThat(direct.stderr()).as(direct.toString()).contains("coder-ssh login " + url).doesNotContain("401");
    Result viaSsh = ssh.ssh(cs.env(), "coder.dev", "echo never");
    assertThat(viaSsh.exit()).as(viaSsh.toString()).isNotZero();
    assertThat(viaSsh.stderr()).as(viaSsh.toString()).contains("coder-ssh login " + url).doesNotContain("401");
  }

  /** Local expiry period k: the pair issued k days ago, its issued lifetime over, the last check 11 min ago. */
  private static void ageLocal(CoderSsh cs, String url, int k) throws IOException {
    Map<String, Object> c = cs.credentials(url);
    long now = System.currentTimeMillis();
    c.put("issued_at_ms", now - k * DAY_MS);
    c.put("expires_at_ms", now - (k - 1) * DAY_MS - 1000);
    c.put("checked_at_ms", now - Duration.ofMinutes(11).toMillis());
    c.put("accepted_until_ms", now - 1000);
    write(cs, url, c);
  }

  private static void write(CoderSsh cs, String url, Map<String, Object> c) throws IOException {
    Files.writeString(cs.credentialsFile(url), JSON.writeValueAsString(c), StandardCharsets.UTF_8);
  }

  /** The server's side of a day gone by: 2 h left of the key, last used 2 h ago (so a use extends it). */
  private static void backdateAtServer(Deployment d, String keyId) throws Exception {
    d.sql("UPDATE api_keys SET expires_at = now() + interval '2 hours', last_used = now() - interval '2 hours'"
        + " WHERE id = '" + keyId + "'");
  }

  private static Path sessionFile(CoderSsh cs, String keyId) throws IOException {
    Path sessions = cs.home().resolve("sessions");
    if (!Files.isDirectory(sessions)) {
      return null;
    }
    try (Stream<Path> files = Files.list(sessions)) {
      Optional<Path> f = files.filter(p -> p.getFileName().toString().startsWith(keyId + ".")).findFirst();
      return f.orElse(null);
    }
  }

  /** Waits until no CLI recorded under the key runs (ssh's child outlives ssh briefly). */
  private static void waitGone(CoderSsh cs, String keyId) throws Exception {
    cs.awaitNoLiveSessions(keyId + ".");
  }

  private static boolean echoWithin(LongSession s, String text, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    int i = 0;
    while (System.nanoTime() < deadline && s.alive()) {
      if (s.echo(text + "-" + i++, Duration.ofSeconds(5))) {
        return true;
      }
    }
    return false;
  }

  /** The status codes of the workspace's activity reports logged after line {@code from}, waiting for one. */
  private static List<Integer> nextUsage(Deployment d, String ws, int from, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      List<Integer> found = usageSince(d, ws, from);
      if (!found.isEmpty()) {
        return found;
      }
      Thread.sleep(2000);
    }
    return List.of();
  }

  private static List<Integer> usageSince(Deployment d, String ws, int from) throws IOException {
    List<Integer> found = new ArrayList<>();
    for (String l : usageLines(d, ws, from)) {
      Matcher m = STATUS.matcher(l);
      found.add(m.find() ? Integer.parseInt(m.group(1)) : -1);
    }
    return found;
  }

  /** coderd's request log lines (CODER_VERBOSE) of the workspace's activity reports after line {@code from}. */
  private static List<String> usageLines(Deployment d, String ws, int from) throws IOException {
    String path = " path=/api/v2/workspaces/" + ws + "/usage ";
    List<String> lines = d.serverLogLines();
    List<String> found = new ArrayList<>();
    for (String l : lines.subList(Math.min(from, lines.size()), lines.size())) {
      if (l.contains(": POST ") && l.contains(path)) {
        found.add(l);
      }
    }
    return found;
  }
}
