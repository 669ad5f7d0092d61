package dev.coderssh.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.coderssh.sandbox.agent.Agents;
import dev.coderssh.sandbox.api.ApiRoutes;
import dev.coderssh.sandbox.control.CliBinary;
import dev.coderssh.sandbox.faults.Fault;
import dev.coderssh.sandbox.faults.Faults;
import dev.coderssh.sandbox.http.Http;
import dev.coderssh.sandbox.http.RateLimiter;
import dev.coderssh.sandbox.oauth.OAuthRoutes;
import dev.coderssh.sandbox.state.OAuthApp;
import dev.coderssh.sandbox.state.Scopes;
import dev.coderssh.sandbox.state.Store;
import dev.coderssh.sandbox.state.User;
import dev.coderssh.sandbox.state.Workspace;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A running sandbox Coder deployment on 127.0.0.1: OAuth2 provider, the API slice clients use,
 * workspace agents with real SSH servers, the stand-in CLI download, and the {@code /sandbox/*}
 * test API. Start it with {@link #start(SandboxOptions)}; {@link #close()} stops everything.
 *
 * <p>Seed: users {@code demo} (role owner, password {@link SandboxOptions#password()}) and
 * {@code alice}; workspaces {@code demo/dev} (agent main), {@code demo/multi} (main, gpu),
 * {@code demo/stopped} (main, stopped), {@code demo/outdated} (main, stopped, built from an old version
 * of template {@code strict}, which requires the active version), {@code demo/dormant} (main, stopped and
 * dormant), {@code alice/shared} (main), and
 * {@code demo/ws-0001}.. when extra workspaces are asked for.
 */
public final class Sandbox implements AutoCloseable {
  private final SandboxOptions options;
  private final Store store;
  private final Stats stats;
  private final Faults faults = new Faults();
  private final RateLimiter rateLimiter;
  private final Agents agents;
  private final CliBinary cli = new CliBinary();
  private final Path tempRoot;
  private final HttpServer server;
  private final ExecutorService executor;
  private final OAuthRoutes oauth;
  private final ApiRoutes api;
  private final ControlRoutes control;

  /** What {@link #addWorkspace} created. */
  public record WorkspaceInfo(String id, String owner, String name, List<String> agentIds) {
  }

  /** An admin-created OAuth2 app; {@code clientSecret} is null for a public client. */
  public record AppCredentials(String clientId, String clientSecret) {
    @Override
    public String toString() {
      return "AppCredentials[" + clientId + "]";
    }
  }

  private Sandbox(SandboxOptions options) throws IOException {
    this.options = options;
    this.store = new Store(options.clock());
    this.stats = new Stats(store::validAccessTokens);
    this.rateLimiter = new RateLimiter(options.clock(), 60);
    this.tempRoot = Files.createTempDirectory("coder-sandbox-");
    this.agents = new Agents(store, stats, options.buildDelay(), tempRoot);
    options.faults().forEach(faults::inject);
    this.oauth = new OAuthRoutes(store, stats, faults, options);
    this.api = new ApiRoutes(store, agents, stats, options);
    this.control = new ControlRoutes(this);
    seed();
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "sandbox-http");
      t.setDaemon(true);
      return t;
    });
    // TCP_NODELAY on accepted connections, as Go's net/http (coderd) has by default. Without it
    // the JDK server writes a response's headers and body in two segments and Nagle holds the
    // body until the client's delayed ACK of the headers: 40 ms on most kept-alive requests,
    // 80 ms per stand-in CLI run (a real deployment has no such stall). Read once per JVM, when the
    // first server starts; a value set on the command line wins.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port()), 256);
    server.setExecutor(executor);
    server.createContext("/", this::dispatch);
    server.start();
  }

  public static Sandbox start(SandboxOptions options) throws IOException {
    return new Sandbox(options);
  }

  private void seed() {
    User demo = store.addUser(options.username(), options.password(), List.of("owner", "member"));
    User alice = store.addUser("alice", "alice-" + store.secrets().alnum(16), List.of("member"));
    agents.runNow(store.addWorkspace(demo, "dev", "docker", List.of("main"), false));
    agents.runNow(store.addWorkspace(demo, "multi", "docker", List.of("main", "gpu"), false));
    store.addWorkspace(demo, "stopped", "docker", List.of("main"), false);
    store.addWorkspace(demo, "outdated", "strict", List.of("main"), false).outdated(true);
    store.addWorkspace(demo, "dormant", "docker", List.of("main"), false).dormant(true);
    agents.runNow(store.addWorkspace(alice, "shared", "docker", List.of("main"), false));
    for (int i = 1; i <= options.extraWorkspaces(); i++) {
      agents.runNow(store.addWorkspace(demo, String.format("ws-%04d", i), "docker", List.of("main"), true));
    }
  }

  private void dispatch(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      // The whole /oauth2 tree shares one bucket; /.well-known/* is not rate limited.
      if (options.rateLimit() && path.startsWith("/oauth2/")) {
        if (!rateLimiter.admit(ex, ex.getRemoteAddress().getAddress().getHostAddress())) {
          return;
        }
      }
      if (oauth.handle(ex, path) || api.handle(ex, path) || control.handle(ex, path) || cli.handle(ex, path)) {
        return;
      }
      if (path.equals("/")) {
        Http.html(ex, 200, "<!doctype html><html><body><h1>Coder sandbox</h1><p><a href=\"/login\">Sign in</a>"
            + "</p></body></html>\n");
        return;
      }
      Http.notFound(ex);
    } catch (IOException | RuntimeException e) {
      try {
        Http.message(ex, 500, "Internal error.", e.getClass().getSimpleName());
      } catch (IOException | RuntimeException ignored) {
        // headers were already sent; the connection just ends
      }
    }
  }

  public String url() {
    return "http://127.0.0.1:" + port();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public SandboxOptions options() {
    return options;
  }

  public String username() {
    return options.username();
  }

  public String password() {
    return options.password();
  }

  /** The {@code /sandbox/stats} document. */
  public Map<String, Object> stats() {
    return stats.snapshot();
  }

  public void resetStats() {
    stats.reset();
  }

  public void resetRateLimit() {
    rateLimiter.reset();
  }

  public Faults faults() {
    return faults;
  }

  public void injectFault(Fault fault) {
    faults.inject(fault);
  }

  /** Deletes every access and refresh token of {@code user} (null: of everyone). */
  public int revokeTokens(String user) {
    return store.revokeAll(user);
  }

  /** Backdates expiry of {@code user}'s tokens (null: everyone's) so tests need not wait. */
  public int expireTokens(String user, boolean access, boolean refresh) {
    return store.expire(user, access, refresh);
  }

  public WorkspaceInfo addWorkspace(String owner, String name, List<String> agentNames, boolean running) {
    User u = store.user(owner);
    if (u == null) {
      throw new IllegalArgumentException("no such user: " + owner);
    }
    if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9-]{0,31}")) {
      throw new IllegalArgumentException("bad workspace name");
    }
    Workspace ws = store.addWorkspace(u, name, "docker", agentNames, false);
    if (running) {
      agents.runNow(ws);
    }
    return new WorkspaceInfo(ws.id(), owner, name, ws.agents().stream().map(a -> a.id()).toList());
  }

  /** An app as an admin creates it in the dashboard (the way to get a client with DCR off). */
  public AppCredentials createApp(String name, List<String> redirectUris, boolean confidential, String scope) {
    if (!confidential && !options.profile().publicClients()) {
      throw new IllegalArgumentException("servers of the legacy profile have no public clients");
    }
    String id = UUID.randomUUID().toString();
    String secret = confidential ? "coder_" + store.secrets().alnum(10) + "_" + store.secrets().alnum(40) : null;
    store.putApp(new OAuthApp(id, secret, name, redirectUris, List.of("authorization_code", "refresh_token"),
        List.of("code"), confidential ? "client_secret_basic" : "none", Scopes.parse(scope), null,
        options.clock().instant(), Map.of()));
    return new AppCredentials(id, secret);
  }

  /** The text served at {@code /bin/coder-linux-amd64}. */
  public String cliScript() {
    return cli.script();
  }

  /** Writes the stand-in CLI wrapper to an executable file in {@code dir} and returns it. */
  public Path writeCli(Path dir) throws IOException {
    Path p = dir.resolve("coder");
    Files.writeString(p, cli.script());
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    agents.close();
  }
}
