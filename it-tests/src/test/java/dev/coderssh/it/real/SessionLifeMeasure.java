package dev.coderssh.it.real;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coderssh.it.fixture.CoderSsh;
import dev.coderssh.it.fixture.LongSession;
import dev.coderssh.it.fixture.RealCoderExtension;
import dev.coderssh.it.fixture.RepoPaths;
import dev.coderssh.it.fixture.SshRunner;
import dev.coderssh.it.fixture.SshRunner.Result;
import dev.coderssh.realcoder.Api;
import dev.coderssh.realcoder.Deployment;
import dev.coderssh.realcoder.Release;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20's measurements, on the real server and CLI (asserts nothing: it writes what it saw to
 * {@code it-tests/target/session-measure-RELEASE.txt}). A measurement, not part of the suite: its
 * name matches no failsafe include, so it runs only when asked for, with
 * {@code mvn -pl it-tests verify -Dit.test=SessionLifeMeasure -Dmeasure.release=NEWEST} (or OLDER). Default session duration (24 h): whether a used key's expiry
 * moves is seen by backdating it in the database, and the "lifetime under 1 h" rule by shortening
 * its recorded lifetime there.
 */
class SessionLifeMeasure {
  static final Release RELEASE = Release.valueOf(System.getProperty("measure.release", "NEWEST"));
  static final Pattern STATUS = Pattern.compile("status_code=(\\d+)");
  @RegisterExtension
  static final RealCoderExtension CODER = RealCoderExtension.of(RELEASE);
  @TempDir
  Path dir;
  private final List<String> notes = new ArrayList<>();
  private Path out;

  @Test
  void measure() throws Exception {
    Deployment d = CODER.deployment();
    out = RepoPaths.root().resolve("it-tests/target/session-measure-" + RELEASE + ".txt");
    Files.writeString(out, "");
    note("release " + d.version());
    CoderSsh cs = new CoderSsh(dir.resolve("user")).withRealCoderBrowser(d.fixture(), false);
    Result login = cs.run("login", d.url());
    note("login exit " + login.exit());
    String t1 = (String) cs.credentials(d.url()).get("access_token");
    String k1 = t1.substring(0, t1.indexOf('-'));
    Api owner = d.api();
    Api user = new Api(d.url()).withToken(t1);
    note("key at issue: " + key(owner, k1));

    // 1. does a used key's expiry move? Backdate it to 2 h left (24 h lifetime), use it once.
    d.sql("UPDATE api_keys SET expires_at = now() + interval '2 hours', last_used = now() - interval '2 hours'"
        + " WHERE id = '" + k1 + "'");
    note("backdated: " + key(owner, k1));
    note("GET /users/me with the key: " + user.get("/api/v2/users/me").status());
    note("after one use: " + key(owner, k1));
    note("GET /users/me again: " + user.get("/api/v2/users/me").status());
    note("after a second use: " + key(owner, k1));
    // the 1 h rule: a key whose lifetime is under an hour is never extended
    d.sql("UPDATE api_keys SET lifetime_seconds = 600, expires_at = now() + interval '5 minutes' WHERE id = '" + k1 + "'");
    note("lifetime 600 s, 5 min left: " + key(owner, k1));
    note("GET /users/me: " + user.get("/api/v2/users/me").status());
    note("after use: " + key(owner, k1));
    d.sql("UPDATE api_keys SET lifetime_seconds = 86400, expires_at = now() + interval '24 hours' WHERE id = '" + k1 + "'");
    note("user's own GET /users/me/keys/" + k1 + ": " + user.get("/api/v2/users/me/keys/" + k1).status());

    SshRunner ssh = new SshRunner(dir, CoderSsh.launcher() + " proxy --url " + d.url() + " %h");
    String ws = d.workspaces().get("dev").id();
    // 2. control: a session open across a coderd restart, no refresh
    try (LongSession s = LongSession.open(ssh.config(), cs.env(), "coder.dev")) {
      note("session 1 echo: " + s.echo("one", Duration.ofSeconds(60)));
      note("first usage report: " + nextUsage(d, ws, 0, Duration.ofSeconds(75)));
      note("next usage report: " + nextUsage(d, ws, d.serverLogLines().size(), Duration.ofSeconds(75)));
      Instant r = Instant.now();
      d.restart();
      note("coderd restarted in " + Duration.between(r, Instant.now()).toMillis() + " ms");
      note("echo after restart: " + echoWithin(s, "two", Duration.ofSeconds(90)));
      note("usage report after restart: " + nextUsage(d, ws, d.serverLogLines().size(), Duration.ofSeconds(75)));
      note("key after: " + key(owner, k1));

      // 3. another connection refreshes (the stored token made due), the session keeps the old key
      cs.ageAccessToken(d.url());
      long before = d.tokenRequests();
      Result other = ssh.ssh(cs.env(), "coder.dev", "true");
      String t2 = (String) cs.credentials(d.url()).get("access_token");
      note("refreshing connection exit " + other.exit() + ", token requests +" + (d.tokenRequests() - before)
          + ", rotated " + !t2.equals(t1));
      note("old key now: " + key(owner, k1) + "; old token on /users/me: " + user.get("/api/v2/users/me").status());
      note("session echo after refresh: " + s.echo("three", Duration.ofSeconds(30)));
      note("usage report after refresh: " + nextUsage(d, ws, d.serverLogLines().size(), Duration.ofSeconds(75)));
      note("next usage report: " + nextUsage(d, ws, d.serverLogLines().size(), Duration.ofSeconds(75)));
      r = Instant.now();
      d.restart();
      note("coderd restarted in " + Duration.between(r, Instant.now()).toMillis() + " ms");
      note("echo after restart (dead key): " + echoWithin(s, "four", Duration.ofSeconds(90)));
      note("usage report after restart: " + nextUsage(d, ws, d.serverLogLines().size(), Duration.ofSeconds(75)));
      note("session alive " + s.alive() + "; its stderr: " + s.stderr().strip());
      Result fresh = ssh.ssh(cs.env(), "coder.dev", "echo ok");
      note("a new connection: " + fresh);
    }
  }

  private static String echoWithin(LongSession s, String text, Duration within) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + within.toNanos();
    int i = 0;
    while (System.nanoTime() < deadline && s.alive()) {
      if (s.echo(text + "-" + i++, Duration.ofSeconds(5))) {
        return "true after " + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms";
      }
    }
    return "false (alive " + s.alive() + ")";
  }

  /** The usage reports for the workspace logged after line {@code from}, waiting for the first. */
  private static String nextUsage(Deployment d, String ws, int from, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    String path = "/api/v2/workspaces/" + ws + "/usage";
    while (System.nanoTime() < deadline) {
      List<String> lines = d.serverLogLines();
      List<String> found = new ArrayList<>();
      for (String l : lines.subList(Math.min(from, lines.size()), lines.size())) {
        if (l.contains(path)) {
          Matcher m = STATUS.matcher(l);
          found.add(m.find() ? m.group(1) : l);
        }
      }
      if (!found.isEmpty()) {
        return found.toString();
      }
      Thread.sleep(2000);
    }
    return "none within " + within.toSeconds() + " s";
  }

  private static String key(Api owner, String id) throws Exception {
    Api.Answer a = owner.get("/api/v2/users/me/keys/" + id);
    if (a.status() != 200) {
      return "HTTP " + a.status();
    }
    JsonNode k = a.body();
    return "expires_at " + k.path("expires_at").asText() + " last_used " + k.path("last_used").asText()
        + " lifetime_seconds " + k.path("lifetime_seconds").asText() + " (now " + Instant.now() + ")";
  }

  private void note(String s) throws Exception {
    String line = Instant.now() + " " + s;
    System.out.println("MEASURE " + line);
    notes.add(line);
    Files.writeString(out, line + "\n", StandardOpenOption.APPEND);
  }
}
