package dev.coderssh.sandbox.api;

import com.sun.net.httpserver.HttpExchange;
import dev.coderssh.sandbox.SandboxOptions;
import dev.coderssh.sandbox.Stats;
import dev.coderssh.sandbox.agent.Agents;
import dev.coderssh.sandbox.http.Http;
import dev.coderssh.sandbox.state.Agent;
import dev.coderssh.sandbox.state.ApiKey;
import dev.coderssh.sandbox.state.Store;
import dev.coderssh.sandbox.state.User;
import dev.coderssh.sandbox.state.Workspace;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The slice of coderd's {@code /api/v2} that clients of this project and the real {@code coder ssh}
 * use, with coderd's permission checks (see {@link Access}): reads the caller may not make are
 * 404 (coderd hides what you may not see), actions 403.
 */
public final class ApiRoutes {
  private final Store store;
  private final SandboxOptions options;
  private final Access access;
  private final WorkspaceActions actions;

  public ApiRoutes(Store store, Agents agents, Stats stats, SandboxOptions options) {
    this.store = store;
    this.options = options;
    this.access = new Access(options.profile(), stats);
    this.actions = new WorkspaceActions(store, agents, stats, access);
  }

  public boolean handle(HttpExchange ex, String path) throws IOException {
    if (!path.startsWith("/api/")) {
      return false;
    }
    if (path.equals("/api/v2/buildinfo")) {
      buildInfo(ex);
      return true;
    }
    String[] p = path.substring(1).split("/");
    String route = p.length < 3 || !p[1].equals("v2") ? null : Routes.template(p);
    if (route == null) {
      Http.notFound(ex);
      return true;
    }
    if (!ex.getRequestMethod().equals(Routes.method(route))) {
      Http.message(ex, 405, "Method not allowed.", null);
      return true;
    }
    ApiAuth.Principal who = ApiAuth.authenticate(ex, store);
    if (who == null) {
      return true;
    }
    switch (route) {
      case Routes.APPEARANCE -> appearance(ex);
      case Routes.DEPLOYMENT_SSH -> deploymentSsh(ex);
      case Routes.USER -> user(ex, who, p[3]);
      case Routes.USER_WORKSPACE -> workspace(ex, route, who,
          store.workspace(p[3].equals("me") ? who.user().username() : p[3], p[5]));
      case Routes.USER_KEY -> key(ex, who, p[3], p[5]);
      case Routes.WORKSPACES -> list(ex, who);
      case Routes.WORKSPACE -> workspace(ex, route, who, store.workspace(p[3]));
      case Routes.AGENT, Routes.CONNECTION, Routes.COORDINATE -> agent(ex, route, who, p[3]);
      default -> actions.handle(ex, route, who, p[3]);
    }
    return true;
  }

  /**
   * The caller's own API key record. Servers that do not enforce scopes record every OAuth key
   * as coder:all (real 2.25.1: "scope":"all"; 2.36.1 also "scopes":["coder:all"]); a narrowed
   * key needs api_key:read (or coder:all) to read itself, else 404, as users/me without user:read.
   */
  private void key(HttpExchange ex, ApiAuth.Principal who, String user, String keyId) throws IOException {
    ApiKey k = who.key();
    boolean legacy = !options.profile().enforcesScopes();
    boolean readable = legacy || k.scopes().contains("coder:all") || k.scopes().contains("api_key:read");
    if (!user.equals("me") || !k.id().equals(keyId) || !readable) {
      Http.notFound(ex);
      return;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", k.id());
    m.put("user_id", k.userId());
    m.put("login_type", k.clientId() != null ? "oauth2_provider_app" : "password");
    m.put("expires_at", k.expiresAt().toString());
    m.put("scope", "all");
    m.put("scopes", legacy ? List.of("coder:all") : k.scopes());
    Http.json(ex, 200, m);
  }

  private void buildInfo(HttpExchange ex) throws IOException {
    // coderd.go New(): exactly these fields. Whether the OAuth2 provider is on is NOT among them;
    // clients learn it from /.well-known/oauth-authorization-server.
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("external_url", "https://github.com/coder/coder/commit/0000000");
    m.put("version", SandboxOptions.VERSION);
    m.put("agent_api_version", "2.6");
    m.put("provisioner_api_version", "1.8");
    m.put("dashboard_url", Http.baseUrl(ex));
    m.put("workspace_proxy", false);
    m.put("upgrade_message", "");
    m.put("deployment_id", "00000000-0000-4000-8000-00000000d3b1");
    m.put("webpush_public_key", "");
    m.put("telemetry", false);
    Http.json(ex, 200, m);
  }

  private void appearance(HttpExchange ex) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("application_name", "");
    m.put("logo_url", "");
    m.put("docs_url", "https://coder.com/docs");
    m.put("service_banner", Map.of("enabled", false));
    m.put("announcement_banners", List.of());
    Http.json(ex, 200, m);
  }

  private void deploymentSsh(HttpExchange ex) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("hostname_prefix", options.hostnamePrefix());
    m.put("hostname_suffix", options.hostnameSuffix());
    m.put("ssh_config_options", Map.of());
    Http.json(ex, 200, m);
  }

  /** "me" (or a name) under the caller's RBAC and user:read; a refusal is 404 (httpmw extractUserContext). */
  private void user(HttpExchange ex, ApiAuth.Principal who, String name) throws IOException {
    User u = name.equals("me") ? who.user() : store.user(name);
    if (u == null) {
      Access.notFound(ex);
      return;
    }
    if (!u.id().equals(who.user().id()) && !Access.admin(who.user()) || !access.scope(who, "user:read")) {
      access.hidden(ex, Routes.USER);
      return;
    }
    Http.json(ex, 200, WorkspaceJson.user(u));
  }

  private void workspace(HttpExchange ex, String route, ApiAuth.Principal who, Workspace ws) throws IOException {
    if (ws == null) {
      Access.notFound(ex);
    } else if (!access.readable(who, ws)) {
      access.hidden(ex, route);
    } else {
      Http.json(ex, 200, WorkspaceJson.workspace(ws));
    }
  }

  private void list(HttpExchange ex, ApiAuth.Principal who) throws IOException {
    if (!access.scope(who, "workspace:read")) {
      access.hidden(ex, Routes.WORKSPACES);
      return;
    }
    Map<String, String> q = Http.query(ex);
    String owner = null;
    for (String term : q.getOrDefault("q", "").trim().split("\\s+")) {
      if (term.startsWith("owner:")) {
        owner = term.substring(6);
      }
    }
    if ("me".equals(owner)) {
      owner = who.user().username();
    } else if ("all".equals(owner)) {
      owner = null;
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Workspace ws : store.workspaces()) {
      if (access.readable(who, ws) && (owner == null || ws.owner().username().equals(owner))) {
        out.add(WorkspaceJson.workspace(ws));
      }
    }
    int count = out.size();
    int offset = Math.min(count, parse(q.get("offset"), 0));
    int limit = parse(q.get("limit"), 0);
    List<Map<String, Object>> page = out.subList(offset, limit > 0 ? Math.min(count, offset + limit) : count);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("workspaces", page);
    m.put("count", count);
    Http.json(ex, 200, m);
  }

  private void agent(HttpExchange ex, String route, ApiAuth.Principal who, String id) throws IOException {
    Agent a = store.agent(id);
    if (a == null) {
      Access.notFound(ex);
      return;
    }
    if (!access.readable(who, a.workspace())) {
      access.hidden(ex, route);
      return;
    }
    switch (route) {
      case Routes.AGENT -> Http.json(ex, 200, WorkspaceJson.agent(a));
      case Routes.CONNECTION -> connection(ex, who, a);
      default -> coordinate(ex, who, a);
    }
  }

  private void connection(HttpExchange ex, ApiAuth.Principal who, Agent a) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("derp_map", Map.of("Regions", Map.of()));
    m.put("derp_force_websockets", false);
    m.put("disable_direct_connections", false);
    m.put("hostname_suffix", options.hostnameSuffix());
    // Sandbox only: what the coordinate websocket would lead to. Given only to a key that may
    // coordinate (workspace:ssh), so a client that skips coordinate gains nothing a real one lacks.
    if (a.sshPort() > 0 && access.scope(who, "workspace:ssh")) {
      m.put("sandbox_ssh_address", "127.0.0.1:" + a.sshPort());
    }
    m.put("sandbox_usage_interval_ms", options.usageInterval().toMillis());
    Http.json(ex, 200, m);
  }

  /**
   * An HTTP stand-in of the coordinate websocket: coderd checks workspace:ssh there and hides
   * the agent (404) without it; with it the answer is the agent's SSH address.
   */
  private void coordinate(HttpExchange ex, ApiAuth.Principal who, Agent a) throws IOException {
    if (!access.scope(who, "workspace:ssh")) {
      access.hidden(ex, Routes.COORDINATE);
      return;
    }
    if (a.sshPort() <= 0) {
      Http.message(ex, 400, "Agent is not connected.", null);
      return;
    }
    Http.json(ex, 200, Map.of("sandbox_ssh_address", "127.0.0.1:" + a.sshPort()));
  }

  private static int parse(String s, int dflt) {
    try {
      return s == null ? dflt : Math.max(0, Integer.parseInt(s));
    } catch (NumberFormatException e) {
      return dflt;
    }
  }
}
