package dev.coderssh.realcoder;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * {@code dev/real-coder}: a real Coder deployment on loopback. First stdout line
 * {@code CODER_URL=...}, second {@code CODER_FIXTURE=DIR} ({@code DIR/owner.json}: the owner's
 * email, password, session_token, user_id, organization_id; {@code DIR/workspaces.json}); it
 * serves until stdin closes or SIGTERM, then stops everything it started.
 */
public final class RealCoderMain {
  private static final String USAGE = "usage: real-coder [--version newest|older] [--build] [--provider on|off]"
      + " [--session-duration 24h] [--rate-limit on|off]";

  private RealCoderMain() {
  }

  public static void main(String[] args) throws Exception {
    Release release = Release.NEWEST;
    boolean buildOnly = false;
    DeploymentOptions o = DeploymentOptions.defaults();
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--version" -> release = Release.parse(value(args, ++i));
          case "--build" -> buildOnly = true;
          case "--provider" -> o = o.withProvider(onOff(value(args, ++i)));
          case "--rate-limit" -> o = o.withRateLimits(onOff(value(args, ++i)));
          case "--session-duration" -> o = o.withSessionDuration(Duration.parse("PT" + value(args, ++i).toUpperCase(java.util.Locale.ROOT)));
          case "-h", "--help" -> {
            System.out.println(USAGE);
            return;
          }
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println("real-coder: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
    }
    Path root = repoRoot();
    long t0 = System.nanoTime();
    Build build = Build.of(release, root);
    if (buildOnly) {
      System.out.println(build.coder());
      return;
    }
    Path work = Files.createDirectories(root.resolve("it-tests/target/real-coder"));
    Postgres pg = Postgres.start();
    Deployment d;
    try {
      d = Deployment.start(build, pg, work, o);
    } catch (IOException e) {
      pg.close();
      System.err.println("real-coder: " + e.getMessage());
      System.exit(1);
      return;
    }
    Path fixture = d.fixture();
    PrintStream out = System.out;
    out.println("CODER_URL=" + d.url());
    out.println("CODER_FIXTURE=" + fixture);
    out.flush();
    System.err.printf("real-coder: Coder %s serving %s (ready in %d s); owner %s / %s; workspaces %s%n",
        d.version(), d.url(), Duration.ofNanos(System.nanoTime() - t0).toSeconds(), d.owner().email(),
        d.owner().password(), String.join(" ", d.workspaces().keySet()));
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      d.close();
      pg.close();
      stop.countDown();
    }));
    // Until stdin closes (the parent went away) or SIGTERM runs the hook above.
    Thread stdin = new Thread(() -> {
      try {
        while (System.in.read() >= 0) {
          // discard
        }
      } catch (IOException ignored) {
        // closed
      }
      System.exit(0);
    }, "stdin-watch");
    stdin.setDaemon(true);
    stdin.start();
    stop.await();
  }

  /** The clone this jar was built in: it-tests/target/coder-sandbox.jar sits two levels below. */
  static Path repoRoot() throws IOException {
    String explicit = System.getenv("CODER_SSH_REPO");
    if (explicit != null) {
      return Path.of(explicit);
    }
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("it-tests/real-coder"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IOException("run from inside the coder-ssh clone (or set CODER_SSH_REPO)");
    }
    return p;
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  private static boolean onOff(String v) {
    return switch (v) {
      case "on", "true" -> true;
      case "off", "false" -> false;
      default -> throw new IllegalArgumentException("expected on or off, not " + v);
    };
  }
}
