package dev.coderssh.sandbox.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code coder ssh --stdio HOST}: the real CLI's API calls in order (buildinfo, appearance, the
 * workspace, autostart, build, template version, agent, connection, the coordinate stand-in that
 * needs workspace:ssh), then relay while reporting activity every interval.
 */
final class SshCommand {
  private static final long POLL_MS = 100;
  private static final long WAIT_LIMIT_MS = 5 * 60_000;
  private final CoderCli.Args args;
  private final Map<String, String> env;
  private final PrintStream err = System.err;
  private Path logFile;

  SshCommand(CoderCli.Args args, Map<String, String> env) {
    this.args = args;
    this.env = env;
  }

  int run() throws IOException {
    if (args.positional().size() != 2) {
      throw new CoderCli.CliError("coder ssh takes exactly one workspace argument");
    }
    if (args.flag("--stdio") == null) {
      throw new CoderCli.CliError("the stand-in CLI supports only ssh --stdio");
    }
    String url = args.flag("--url") != null ? args.flag("--url") : env.get("CODER_URL");
    if (url == null || url.isEmpty()) {
      throw new CoderCli.CliError("no deployment URL: pass --url or set CODER_URL");
    }
    String token = env.get("CODER_SESSION_TOKEN");
    if (token == null || token.isEmpty()) {
      throw new CoderCli.CliError("You are not logged in: set CODER_SESSION_TOKEN");
    }
    String logDir = args.flag("--log-dir");
    if (logDir != null) {
      if (!Files.isDirectory(Path.of(logDir))) {
        throw new CoderCli.CliError("--log-dir " + logDir + " does not exist");
      }
      logFile = Path.of(logDir, "coder-ssh-" + ProcessHandle.current().pid() + ".log");
    }
    String wait = args.flags().getOrDefault("--wait", "auto");
    if (!List.of("yes", "no", "auto").contains(wait)) {
      throw new CoderCli.CliError("--wait must be yes, no or auto");
    }
    HostName host;
    try {
      host = HostName.parse(args.positional().get(1), args.flag("--ssh-host-prefix"), args.flag("--hostname-suffix"));
    } catch (IllegalArgumentException e) {
      throw new CoderCli.CliError(e.getMessage());
    }
    CliHttp http = new CliHttp(url, token, CoderCli.headers(args));
    // The real CLI's calls, in its order and with its tolerance of each failing (table "The API
    // calls of one real coder ssh --stdio"): a scope a client forgets shows up here as it would.
    if (http.get("/api/v2/buildinfo").status() != 200) {
      err.println("WARN: failed to check the server version");
    }
    http.get("/api/v2/appearance");
    Map<String, Object> ws = workspace(http, host);
    String id = MiniJson.str(ws.get("id"));
    Map<String, Object> build = MiniJson.obj(ws.get("latest_build"));
    String status = MiniJson.str(build.get("status"));
    String buildId = MiniJson.str(build.get("id"));
    if ("stop".equals(MiniJson.str(build.get("transition"))) && !"stopping".equals(status)
        || "failed".equals(status) || "canceled".equals(status)) {
      if (args.flag("--disable-autostart") != null) {
        throw new CoderCli.CliError("workspace \"" + host.workspace() + "\" is stopped and autostart is disabled");
      }
      err.println("Workspace was stopped, starting workspace...");
      buildId = new Autostart(http).start(ws);
    }
    expectOk(http.get("/api/v2/workspacebuilds/" + buildId), "get workspace build");
    String version = MiniJson.str(build.get("template_version_id"));
    expectOk(http.get("/api/v2/templateversions/" + version), "get template version");
    Map<String, Object> agent = waitForAgent(http, id, host, !wait.equals("no"));
    String agentId = MiniJson.str(agent.get("id"));
    expectOk(http.get("/api/v2/workspaceagents/" + agentId), "get workspace agent");
    CliHttp.Response conn = http.get("/api/v2/workspaceagents/" + agentId + "/connection");
    expectOk(conn, "connect to agent");
    CliHttp.Response coordinate = http.get("/api/v2/workspaceagents/" + agentId + "/coordinate");
    expectOk(coordinate, "dial workspace agent");
    String address = MiniJson.str(coordinate.json().get("sandbox_ssh_address"));
    if (address == null) {
      throw new CoderCli.CliError("the agent is not reachable");
    }
    http.get("/api/v2/workspaces/" + id);
    http.close();
    Object interval = conn.json().get("sandbox_usage_interval_ms");
    long everyMs = interval instanceof Number n ? n.longValue() : 60_000;
    UsageReporter.start(new CliHttp(url, token, CoderCli.headers(args)), id, agentId, everyMs, this::log);
    int colon = address.lastIndexOf(':');
    log("connecting to " + host.workspace() + "." + agent.get("name") + " at " + address);
    return Relay.run(new InetSocketAddress(address.substring(0, colon),
        Integer.parseInt(address.substring(colon + 1))));
  }

  private static void expectOk(CliHttp.Response r, String what) throws CoderCli.CliError {
    if (r.status() != 200) {
      throw new CoderCli.CliError(what + ": " + message(r));
    }
  }

  private Map<String, Object> workspace(CliHttp http, HostName host) throws IOException {
    String owner = host.owner() == null ? "me" : host.owner();
    CliHttp.Response r = http.get("/api/v2/users/" + owner + "/workspace/" + host.workspace());
    if (r.status() != 200) {
      throw new CoderCli.CliError("get workspace " + owner + "/" + host.workspace() + ": " + message(r));
    }
    return r.json();
  }

  /** Polls until the build is running and the agent is connected (and ready, when waiting for it). */
  private Map<String, Object> waitForAgent(CliHttp http, String id, HostName host, boolean ready) throws IOException {
    long deadline = System.nanoTime() + WAIT_LIMIT_MS * 1_000_000;
    while (true) {
      CliHttp.Response r = http.get("/api/v2/workspaces/" + id);
      if (r.status() != 200) {
        throw new CoderCli.CliError("get workspace: " + message(r));
      }
      Map<String, Object> build = MiniJson.obj(r.json().get("latest_build"));
      String status = MiniJson.str(build.get("status"));
      if ("failed".equals(status) || "canceled".equals(status)) {
        throw new CoderCli.CliError("workspace build " + status);
      }
      if ("running".equals(status)) {
        Map<String, Object> agent = pick(build, host);
        boolean up = "connected".equals(agent.get("status"))
            && (!ready || "ready".equals(agent.get("lifecycle_state")));
        if (up) {
          return agent;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new CoderCli.CliError("timed out waiting for the workspace agent");
      }
      sleep();
    }
  }

  /** The named agent; without a name, the first one (the real CLI picks one of several). */
  private static Map<String, Object> pick(Map<String, Object> build, HostName host) throws CoderCli.CliError {
    Map<String, Object> first = null;
    for (Object res : MiniJson.arr(build.get("resources"))) {
      for (Object a : MiniJson.arr(MiniJson.obj(res).get("agents"))) {
        Map<String, Object> agent = MiniJson.obj(a);
        if (host.agent() == null && first == null) {
          first = agent;
        }
        if (host.agent() != null && host.agent().equals(agent.get("name"))) {
          return agent;
        }
      }
    }
    if (first == null) {
      throw new CoderCli.CliError(host.agent() == null ? "workspace has no agents"
          : "agent not found by name \"" + host.agent() + "\"");
    }
    return first;
  }

  static String message(CliHttp.Response r) {
    Map<String, Object> j = r.json();
    String m = MiniJson.str(j.get("message"));
    String d = MiniJson.str(j.get("detail"));
    if (m == null) {
      return "HTTP " + r.status();
    }
    return m + (d == null ? "" : " (" + d + ")") + " [HTTP " + r.status() + "]";
  }

  void log(String line) {
    if (logFile == null) {
      return;
    }
    try {
      Files.writeString(logFile, Instant.now() + " " + line + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException ignored) {
      // a log line is not worth failing the connection for
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
