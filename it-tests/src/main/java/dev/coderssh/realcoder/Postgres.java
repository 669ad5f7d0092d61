package dev.coderssh.realcoder;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster from Debian's packages on a loopback port, one per fixture
 * process; each deployment gets a database of its own. Coder's built-in PostgreSQL refuses to
 * run as root (CI runs as root), so as root the cluster runs as the {@code postgres} account.
 * Durability is switched off: the data lives only as long as the test run.
 */
public final class Postgres implements AutoCloseable {
  private static final String SUPERUSER = "coder";
  private final Path dir;
  private final int port;
  private final Process server;
  private final List<String> asOwner;
  private final AtomicInteger databases = new AtomicInteger();

  private Postgres(Path dir, int port, Process server, List<String> asOwner) {
    this.dir = dir;
    this.port = port;
    this.server = server;
    this.asOwner = asOwner;
  }

  /**
   * initdb into a fresh directory under the system temp directory (as root the cluster runs as
   * {@code postgres}, which must be able to reach it: a clone under /root would not do), then start
   * the server and wait for it.
   */
  public static Postgres start() throws IOException, InterruptedException {
    Path bin = binDir();
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "coder-ssh-pg-");
    List<String> asOwner = new ArrayList<>();
    if (Procs.isRoot()) {
      // initdb and postgres refuse root; the Debian package made this account. setpriv execs,
      // so a signal to the started process reaches postgres itself.
      Procs.run(List.of("chown", "postgres:postgres", dir.toString()), Duration.ofSeconds(10));
      asOwner.addAll(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"));
    }
    Path data = dir.resolve("data");
    List<String> initdb = new ArrayList<>(asOwner);
    initdb.addAll(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", SUPERUSER,
        "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"));
    Procs.run(initdb, Duration.ofMinutes(2));
    int port = freePort();
    List<String> cmd = new ArrayList<>(asOwner);
    cmd.addAll(List.of(bin.resolve("postgres").toString(), "-D", data.toString(), "-p", Integer.toString(port),
        "-k", dir.toString(), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
        "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=300"));
    Process server = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("postgres.log").toFile()).start();
    Postgres pg = new Postgres(dir, port, server, asOwner);
    pg.awaitReady(bin);
    return pg;
  }

  /** A new empty database; returns its connection URL for {@code CODER_PG_CONNECTION_URL}. */
  public String createDatabase(String prefix) throws IOException, InterruptedException {
    String name = prefix.replaceAll("[^a-z0-9_]", "_") + "_" + databases.incrementAndGet();
    List<String> cmd = new ArrayList<>(asOwner);
    cmd.addAll(List.of(binDir().resolve("createdb").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port),
        "-U", SUPERUSER, name));
    Procs.run(cmd, Duration.ofSeconds(30));
    return "postgres://" + SUPERUSER + "@127.0.0.1:" + port + "/" + name + "?sslmode=disable";
  }

  private void awaitReady(Path bin) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    List<String> probe = new ArrayList<>(asOwner);
    probe.addAll(List.of(bin.resolve("pg_isready").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port)));
    while (true) {
      if (!server.isAlive()) {
        throw new IOException("postgres exited: " + Files.readString(dir.resolve("postgres.log")).strip());
      }
      if (Procs.exitCode(probe, Duration.ofSeconds(5)) == 0) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("postgres did not become ready within 60 s");
      }
      Thread.sleep(200);
    }
  }

  /** The newest Debian PostgreSQL under /usr/lib/postgresql (dev/test installs the package). */
  static Path binDir() throws IOException {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      throw new IOException("PostgreSQL is not installed (apt-get install postgresql postgresql-client; dev/test does it)");
    }
    try (Stream<Path> versions = Files.list(root)) {
      // The server (postgresql-N) and the client tools we run (postgresql-client-N) of one version.
      return versions.filter(p -> Files.isExecutable(p.resolve("bin/postgres")) && Files.isExecutable(p.resolve("bin/psql")))
          .max((a, b) -> Integer.compare(major(a), major(b)))
          .map(p -> p.resolve("bin"))
          .orElseThrow(() -> new IOException("no postgres and psql of one version under " + root
              + " (apt-get install postgresql postgresql-client; dev/test does it)"));
    }
  }

  private static int major(Path p) {
    try {
      return Integer.parseInt(p.getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** A free loopback port (for servers that must be told their port up front). */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    Procs.stop(server, Duration.ofSeconds(10));
    Procs.deleteTree(dir);
  }
}
