package dev.coderssh.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coderssh.it.fixture.CoderSsh;
import dev.coderssh.it.fixture.RepoPaths;
import dev.coderssh.it.fixture.SandboxClient;
import dev.coderssh.it.fixture.SandboxExtension;
import dev.coderssh.it.fixture.SshRunner;
import dev.coderssh.it.fixture.SshRunner.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7's mix: worker threads keep starting real processes ({@code ssh} through
 * {@code coder-ssh proxy}, {@code token}, {@code status}, {@code config-ssh} on one shared file)
 * against one deployment whose access tokens live 15 s (so the processes refresh about every 13 s),
 * while another thread logs out and back in twice late in the run, and a reader parses the credentials file every few milliseconds. Afterwards: no torn
 * read, no file moved aside as corrupt, no lock or temp file left, no sign-in lost (no exit 3 and
 * no {@code invalid_grant} outside the deliberate logout windows), every failure a documented exit
 * code with one line, and the sign-in still works.
 */
class ConcurrentMixIT {
  static final Duration RUN = Duration.ofSeconds(40);
  static final int WORKERS = 6;
  @RegisterExtension
  static final SandboxExtension SANDBOX = SandboxExtension.with(o -> o.withAccessTtl(Duration.ofSeconds(15)));
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir
  Path dir;

  /** One process run: what, when (ns since start), how it ended. */
  record Run(String kind, long start, long end, Result result) {
    boolean overlaps(long from, long to) {
      return start < to && end > from;
    }
  }

  @Test
  void fiftyProcessesMixedOnOneDeploymentLoseAndTearNothing() throws Exception {
    String url = SANDBOX.url();
    CoderSsh cs = CoderSsh.signedIn(dir, SANDBOX);
    Map<String, String> loginEnv = new HashMap<>(cs.env());
    loginEnv.put("BROWSER", RepoPaths.dev("sandbox-browser").toString());
    loginEnv.put("SANDBOX_BROWSER_ACTION", "allow");
    SshRunner ssh = new SshRunner(dir, CoderSsh.launcher() + " proxy --url " + url + " %h");
    Path config = dir.resolve("config-ssh-target");
    Path creds = cs.credentialsFile(url);
    SANDBOX.sandbox().resetStats();

    long t0 = System.nanoTime();
    long deadline = t0 + RUN.toNanos();
    ConcurrentLinkedQueue<Run> runs = new ConcurrentLinkedQueue<>();
    List<long[]> windows = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger igInWindows = new AtomicInteger();
    AtomicLong reads = new AtomicLong();
    List<String> torn = Collections.synchronizedList(new ArrayList<>());
    // When the stored access token changed (a refresh or a login), as the reader saw it.
    List<Long> rotations = Collections.synchronizedList(new ArrayList<>());
    String[] lastToken = {null};

    ExecutorService pool = Executors.newFixedThreadPool(WORKERS + 2);
    List<Future<?>> jobs = new ArrayList<>();
    // The reader: every read of the store must parse (the file may be absent while signed out).
    jobs.add(pool.submit(() -> {
      while (System.nanoTime() < deadline) {
        try {
          byte[] b = Files.readAllBytes(creds);
          Map<?, ?> m = JSON.readValue(b, Map.class);
          if (!Integer.valueOf(1).equals(m.get("schema")) || !(m.get("access_token") instanceof String)) {
            torn.add(new String(b));
          }
          reads.incrementAndGet();
          Object token = m.get("access_token");
          if (lastToken[0] != null && !lastToken[0].equals(token)) {
            rotations.add(System.nanoTime() - t0);
          }
          lastToken[0] = (String) token;
        } catch (NoSuchFileException signedOut) {
          // between logout and login
        } catch (IOException e) {
          torn.add(e.toString());
        }
        Thread.sleep(3);
      }
      return null;
    }));
    // Deliberate logouts at 70% and 85% of the run (after two rounds of refreshes), each followed by a login.
    jobs.add(pool.submit(() -> {
      for (int at : new int[] {70, 85}) {
        Thread.sleep(Math.max(0, t0 + RUN.toNanos() / 100 * at - System.nanoTime()) / 1_000_000);
        int igBefore = invalidGrants();
        long from = System.nanoTime() - t0;
        runs.add(timed("logout", t0, () -> cs.run("logout", url)));
        runs.add(timed("login", t0, () -> SshRunner.run(List.of(CoderSsh.launcher().toString(), "login", url), loginEnv,
            new byte[0], null)));
        // In-flight processes that read the old sign-in finish within a few seconds of the login.
        Thread.sleep(5_000);
        windows.add(new long[] {from, System.nanoTime() - t0});
        igInWindows.addAndGet(invalidGrants() - igBefore);
      }
      return null;
    }));
    for (int w = 0; w < WORKERS; w++) {
      Random random = new Random(w);
      jobs.add(pool.submit(() -> {
        while (System.nanoTime() < deadline) {
          int pick = random.nextInt(10);
          if (pick < 4) {
            runs.add(timed("ssh", t0, () -> ssh.ssh(cs.env(), "coder.dev", "echo ok")));
          } else if (pick < 6) {
            runs.add(timed("token", t0, () -> cs.run("token", url)));
          } else if (pick < 8) {
            runs.add(timed("status", t0, () -> cs.run("status", url, "--json")));
          } else {
            runs.add(timed("config-ssh", t0, () -> cs.run("config-ssh", url, "--ssh-config-file", config.toString())));
          }
        }
        return null;
      }));
    }
    pool.shutdown();
    for (Future<?> f : jobs) {
      f.get(3, TimeUnit.MINUTES);
    }

    List<Run> all = new ArrayList<>(runs);
    assertThat(all).as("processes run").hasSizeGreaterThanOrEqualTo(50);
    assertThat(windows).hasSize(2);
    List<String> unexpected = new ArrayList<>();
    List<String> raced = new ArrayList<>();
    for (Run r : all) {
      boolean inWindow = windows.stream().anyMatch(w -> r.overlaps(w[0], w[1]));
      if (killedByAConcurrentRefresh(r, rotations)) {
        // A logout and login rotate on purpose; a refresh never may pull a token from under a CLI
        // (the hand-over grace: a token is handed over only while its refresh is seconds away).
        if (!inWindow) {
          unexpected.add(r.kind() + " @" + r.start() / 1_000_000 + "ms: 401, its token lost to a concurrent refresh "
              + r.result());
        } else {
          raced.add(r.kind() + " @" + r.start() / 1_000_000 + "ms " + r.result());
        }
        continue;
      }
      String problem = problem(r, inWindow);
      if (problem != null) {
        unexpected.add(r.kind() + " @" + r.start() / 1_000_000 + "ms: " + problem + " " + r.result());
      }
    }
    assertThat(unexpected).as("failures outside what is documented / outside logout windows").isEmpty();
    assertThat(torn).as("torn or unparsable store reads (of " + reads.get() + ")").isEmpty();
    assertThat(reads.get()).isGreaterThan(100);

    try (Stream<Path> s = Files.walk(cs.home())) {
      assertThat(s.map(p -> cs.home().relativize(p).toString()))
          .as("no corrupt store moved aside, no lock or temp file left")
          .noneMatch(p -> p.contains("corrupt") || p.endsWith(".lock") || p.endsWith(".tmp"));
    }
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".lock") || n.endsWith(".tmp"));
    }
    String block = Files.readString(config);
    assertThat(block.split("# --- START CODER-SSH ", -1)).as("one block in the shared config").hasSize(2);
    assertThat(block.split("# --- END CODER-SSH ", -1)).hasSize(2);

    Map<String, Object> stats = SANDBOX.client().stats();
    @SuppressWarnings("unchecked")
    int refreshes = ((Number) ((Map<String, Object>) stats.get("token_requests")).get("refresh_token")).intValue();
    assertThat(refreshes).as("the short-lived token was refreshed, once per lifetime, not per process").isBetween(1, 4);
    assertThat(invalidGrants() - igInWindows.get()).as("invalid_grant outside the logout windows: a lost refresh race")
        .isZero();
    Result last = cs.run("token", url);
    assertThat(last.exit()).as("the sign-in survived: " + last).isZero();
    assertThat(SANDBOX.client().get("/api/v2/users/me", last.out().strip()).statusCode()).isEqualTo(200);
    assertThat(cs.browserLaunches()).isZero();
    Map<String, Long> kinds = new java.util.TreeMap<>();
    all.forEach(r -> kinds.merge(r.kind(), 1L, Long::sum));
    System.out.println("ConcurrentMixIT: " + all.size() + " processes " + kinds + ", " + reads.get()
        + " store reads, " + rotations.size() + " token rotations, stats " + stats + "; " + raced.size()
        + " ssh lost the token it was handed to a logout and login" + (raced.isEmpty() ? "" : ": " + raced));
  }

  /**
   * Coder deletes an access token when it is refreshed. A proxy that handed the old token to the
   * CLI a moment before another process refreshed would leave that CLI with a dead key: the
   * connection fails with the CLI's one-line 401 and ssh's 255. The hand-over grace closes that
   * race, so outside the logout windows such a run fails the test. Recognised only when a rotation
   * really happened during that ssh.
   */
  private static boolean killedByAConcurrentRefresh(Run r, List<Long> rotations) {
    Result res = r.result();
    if (!r.kind().equals("ssh") || res.exit() != 255 || !res.stderr().contains("[HTTP 401]")
        || res.stderr().lines().filter(l -> l.startsWith("error: ")).count() != 1) {
      return false;
    }
    synchronized (rotations) {
      return rotations.stream().anyMatch(t -> t >= r.start() && t <= r.end());
    }
  }

  /** Null when the run ended as documented; else what is wrong with it. */
  private static String problem(Run r, boolean inWindow) {
    Result res = r.result();
    String err = res.stderr();
    if (err.contains("\tat ") || err.contains("Exception")) {
      return "stack trace";
    }
    if (r.kind().equals("ssh")) {
      if (res.exit() == 0) {
        return res.out().equals("ok\n") ? null : "wrong output";
      }
      // ssh's own 255 after the ProxyCommand failed: allowed only around a logout.
      return res.exit() == 255 && inWindow ? null : "ssh failed";
    }
    if (res.exit() == 0) {
      if (r.kind().equals("token") && !res.out().matches("[A-Za-z0-9]{10}-[A-Za-z0-9]{22}\n")) {
        return "token output is not one access token";
      }
      if (r.kind().equals("status")) {
        // Every store read parses: what status read must come out whole.
        try {
          Map<?, ?> m = JSON.readValue(res.out(), Map.class);
          return "demo".equals(m.get("user")) && "oauth".equals(m.get("kind")) ? null : "status shows " + m;
        } catch (IOException e) {
          return "status output is not JSON";
        }
      }
      return null;
    }
    List<String> lines = err.lines().filter(l -> l.startsWith("coder-ssh " + r.kind().split(" ")[0] + ":")).toList();
    if (!List.of(1, 2, 3, 4).contains(res.exit()) || lines.size() != 1) {
      return "undocumented exit or not one line";
    }
    if (!inWindow) {
      return "failed outside a logout window";
    }
    return res.exit() == 3 || r.kind().equals("config-ssh") ? null : "failed with " + res.exit();
  }

  private interface Step {
    Result run();
  }

  private static Run timed(String kind, long t0, Step step) {
    long start = System.nanoTime() - t0;
    Result r = step.run();
    return new Run(kind, start, System.nanoTime() - t0, r);
  }

  @SuppressWarnings("unchecked")
  private static int invalidGrants() {
    Map<String, Object> errors = (Map<String, Object>) SandboxClient.json(
        SANDBOX.client().get("/sandbox/stats", null).body()).get("token_errors");
    Object n = errors.get("invalid_grant");
    return n == null ? 0 : ((Number) n).intValue();
  }
}
