package dev.coderssh.realcoder;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One real {@code coder server} on loopback with its own database, seeded like the sandbox
 * (owner, templates, workspaces with real {@code coder agent} processes), and the real CLI served
 * at {@code /bin/coder-linux-amd64}. {@link #restart()} stops and starts coderd on the same port
 * and database, as an upgrade or a crash would.
 */
public final class Deployment implements AutoCloseable {
  private final Build build;
  private final DeploymentOptions options;
  private final Path dir;
  private final int port;
  private final String dbUrl;
  private final List<Process> agents = new ArrayList<>();
  private Process server;
  private Owner owner;
  private Path fixture;
  private final Map<String, Workspace> workspaces = new LinkedHashMap<>();

  /** The first user, an owner; its password and session token are test data, not secrets. */
  public record Owner(String email, String username, String password, String sessionToken, String userId,
      String organizationId) {
  }

  /** A seeded workspace: its id, agent names and whether the seed left it running. */
  public record Workspace(String name, String id, List<String> agents, boolean running) {
  }

  private Deployment(Build build, DeploymentOptions options, Path dir, int port, String dbUrl) {
    this.build = build;
    this.options = options;
    this.dir = dir;
    this.port = port;
    this.dbUrl = dbUrl;
  }

  /** Starts coderd on a fresh database and seeds it; the caller closes it. */
  public static Deployment start(Build build, Postgres pg, Path parent, DeploymentOptions o)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory(parent, "coder-" + build.version() + "-");
    Deployment d = new Deployment(build, o, dir, Postgres.freePort(), pg.createDatabase("coder"));
    try {
      d.serveCli();
      d.startServer();
      Seed seed = new Seed(d.url(), build);
      d.owner = seed.firstUser();
      if (o.seedWorkspaces()) {
        for (Seed.Planned w : seed.workspaces(d.owner, Seed.SANDBOX_LIKE)) {
          d.workspaces.put(w.workspace().name(), w.workspace());
          w.agentTokens().forEach((agent, token) -> d.agents.add(d.startAgent(w.workspace().name() + "." + agent, token)));
        }
        seed.awaitAgents(d.owner, d.workspaces.values());
        seed.stop(d.owner, d.workspaces.get("stopped"));
      }
      d.fixture = d.writeFixture(dir);
      return d;
    } catch (IOException | InterruptedException | RuntimeException e) {
      d.close();
      throw e;
    }
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public String version() {
    return build.version();
  }

  public Build build() {
    return build;
  }

  public DeploymentOptions options() {
    return options;
  }

  public Owner owner() {
    return owner;
  }

  /** The CODER_FIXTURE directory: owner.json and workspaces.json (see writeFixture). */
  public Path fixture() {
    return fixture;
  }

  public Map<String, Workspace> workspaces() {
    return Map.copyOf(workspaces);
  }

  /** The owner's API client. */
  public Api api() {
    return new Api(url()).withToken(owner.sessionToken());
  }

  /** The deployment's own database (a test may read or doctor {@code api_keys} there with psql). */
  public String databaseUrl() {
    return dbUrl;
  }

  /**
   * Runs one SQL statement against the deployment's database with psql and returns its unaligned,
   * tuples-only output: how a test backdates a key to see the server extend it without waiting hours.
   */
  public String sql(String statement) throws IOException, InterruptedException {
    // The cluster's own psql (postgresql-client, beside createdb and pg_isready), not one on PATH.
    return Procs.run(List.of(Postgres.binDir().resolve("psql").toString(), "-X", "-q", "-A", "-t", "-v",
        "ON_ERROR_STOP=1", dbUrl, "-c", statement), java.time.Duration.ofSeconds(30)).strip();
  }

  /** The server's request log lines (CODER_VERBOSE) so far, in order. */
  public List<String> serverLogLines() throws IOException {
    return Files.readAllLines(serverLog());
  }

  public Path serverLog() {
    return dir.resolve("server.log");
  }

  /** Stops coderd (SIGTERM, as systemd would) and starts it again on the same port and database. */
  public void restart() throws IOException, InterruptedException {
    Procs.stop(server, Duration.ofSeconds(30));
    startServer();
  }

  /**
   * A build that embeds no binaries serves {@code /bin/*} from its cache directory: 2.25 from
   * {@code <cache>/site/bin}, 2.36 from {@code <cache>/site/orig/bin} (it compresses into
   * {@code site/compressed}). Both places get the binary, hard-linked where the filesystem allows.
   */
  private void serveCli() throws IOException {
    for (String sub : List.of("cache/site/bin", "cache/site/orig/bin")) {
      Path target = Files.createDirectories(dir.resolve(sub)).resolve("coder-linux-amd64");
      try {
        Files.createLink(target, build.coder());
      } catch (IOException | UnsupportedOperationException crossDevice) {
        Files.copy(build.coder(), target);
      }
    }
  }

  /**
   * The server runs from the deployment's own link to the binary (made by {@link #serveCli}): a
   * later build of the same version in the shared cache removes the earlier build's directory, and
   * {@link #restart} must still find the binary it started with.
   */
  private void startServer() throws IOException, InterruptedException {
    Path own = dir.resolve("cache/site/bin/coder-linux-amd64");
    Path binary = Files.isExecutable(own) ? own : build.coder();
    ProcessBuilder pb = new ProcessBuilder(binary.toString(), "server");
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("CODER_"));
    env.put("HOME", Files.createDirectories(dir.resolve("home")).toString());
    env.put("CODER_HTTP_ADDRESS", "127.0.0.1:" + port);
    env.put("CODER_ACCESS_URL", url());
    env.put("CODER_CACHE_DIRECTORY", dir.resolve("cache").toString());
    env.put("CODER_CONFIG_DIR", dir.resolve("config").toString());
    env.put("CODER_PG_CONNECTION_URL", dbUrl);
    // Echo provisioners only (never Terraform); the older env name for releases that had it.
    env.put("CODER_PROVISIONER_TYPES", "echo");
    env.put("CODER_PROVISIONER_DAEMONS_ECHO", "true");
    env.put("CODER_PROVISIONER_DAEMONS", "3");
    env.put("CODER_VERBOSE", "true");
    env.put("CODER_TELEMETRY_ENABLE", "false");
    env.put("CODER_UPDATE_CHECK", "false");
    env.put("CODER_DERP_SERVER_STUN_ADDRESSES", "disable");
    env.put("CODER_DANGEROUS_DISABLE_RATE_LIMITS", Boolean.toString(!options.rateLimits()));
    if (options.provider()) {
      // Releases before the provider flag gate it behind the experiment; later ones read the flag
      // (an unknown env var is ignored, an unknown flag would abort).
      env.put("CODER_EXPERIMENTS", "oauth2");
      env.put("CODER_OAUTH2_PROVIDER_ENABLE", "true");
    }
    if (options.sessionDuration() != null) {
      env.put("CODER_SESSION_DURATION", options.sessionDuration().toSeconds() + "s");
    }
    if (options.refreshLifetime() != null) {
      env.put("CODER_DEFAULT_OAUTH_REFRESH_LIFETIME", options.refreshLifetime().toSeconds() + "s");
    }
    env.putAll(options.extraEnv());
    server = pb.redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(serverLog().toFile())).start();
    awaitHealthy();
  }

  private void awaitHealthy() throws IOException, InterruptedException {
    Api api = new Api(url());
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (true) {
      if (!server.isAlive()) {
        throw new IOException("coder server exited " + server.exitValue() + "; last lines of " + serverLog() + ":\n"
            + tail(serverLog(), 15));
      }
      try {
        if (api.get("/api/v2/buildinfo").status() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet: migrations run first
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("coder server not ready within 3 minutes; see " + serverLog());
      }
      Thread.sleep(250);
    }
  }

  private Process startAgent(String name, String token) {
    try {
      Path agentDir = Files.createDirectories(dir.resolve("agents").resolve(name));
      ProcessBuilder pb = new ProcessBuilder(build.coder().toString(), "agent", "--no-reap");
      Map<String, String> env = pb.environment();
      env.keySet().removeIf(k -> k.startsWith("CODER_"));
      env.put("CODER_AGENT_URL", url());
      env.put("CODER_AGENT_AUTH", "token");
      env.put("CODER_AGENT_TOKEN", token);
      env.put("CODER_AGENT_LOG_DIR", agentDir.toString());
      env.put("CODER_AGENT_SCRIPT_DATA_DIR", Files.createDirectories(agentDir.resolve("scripts")).toString());
      // Several agents on one host: each needs its own debug listeners (defaults collide).
      env.put("CODER_AGENT_PPROF_ADDRESS", "127.0.0.1:" + Postgres.freePort());
      env.put("CODER_AGENT_PROMETHEUS_ADDRESS", "127.0.0.1:" + Postgres.freePort());
      env.put("CODER_AGENT_DEBUG_ADDRESS", "127.0.0.1:" + Postgres.freePort());
      env.put("CODER_AGENT_DEVCONTAINERS_ENABLE", "false");
      return pb.redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(agentDir.resolve("agent.out").toFile())).start();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The last {@code lines} lines of a log, for a failure message. */
  public static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  /** The JSON of one workspace, as the owner sees it. */
  public JsonNode workspace(String name) throws IOException {
    return api().get("/api/v2/users/me/workspace/" + name).ok();
  }

  /**
   * Writes {@code owner.json} (email, username, password, session_token, user_id,
   * organization_id, url, version) and {@code workspaces.json} into a new owner-only directory
   * under {@code parent}: what dev/real-coder prints as CODER_FIXTURE and real-coder-browser reads.
   */
  private Path writeFixture(Path parent) throws IOException {
    Path fixture = Files.createTempDirectory(parent, "fixture-", java.nio.file.attribute.PosixFilePermissions
        .asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("email", owner.email());
    o.put("username", owner.username());
    o.put("password", owner.password());
    o.put("session_token", owner.sessionToken());
    o.put("user_id", owner.userId());
    o.put("organization_id", owner.organizationId());
    o.put("url", url());
    o.put("version", version());
    Files.write(fixture.resolve("owner.json"), Api.JSON.writeValueAsBytes(o));
    Files.write(fixture.resolve("workspaces.json"), Api.JSON.writeValueAsBytes(workspaces));
    return fixture;
  }

  /** Stops a workspace (a stop build) if its latest build is not already a stop. */
  public void stopWorkspace(String name) throws IOException, InterruptedException {
    if (!"stop".equals(workspace(name).get("latest_build").get("transition").asText())) {
      new Seed(url(), build).stop(owner, workspaces.get(name));
    }
  }

  /**
   * How many token requests ({@code POST /oauth2/tokens}: exchanges and refreshes) coderd has
   * logged so far: the server's own count, from its request log (CODER_VERBOSE).
   */
  public long tokenRequests() throws IOException {
    try (var lines = Files.lines(serverLog())) {
      return lines.filter(l -> l.contains(": POST ") && l.contains(" path=/oauth2/tokens ")).count();
    }
  }

  @Override
  public void close() {
    agents.forEach(p -> Procs.stop(p, Duration.ofSeconds(5)));
    Procs.stop(server, Duration.ofSeconds(20));
    Procs.deleteTree(dir);
  }
}
