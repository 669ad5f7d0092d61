package dev.coderssh.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.coderssh.sandbox.SandboxOptions;
import dev.coderssh.sandbox.agent.Agents;
import dev.coderssh.sandbox.http.Http;
import dev.coderssh.sandbox.state.Agent;
import dev.coderssh.sandbox.state.Build;
import dev.coderssh.sandbox.state.Scopes;
import dev.coderssh.sandbox.state.Store;
import dev.coderssh.sandbox.state.User;
import dev.coderssh.sandbox.state.Workspace;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The slice of coderd's {@code /api/v2} that clients of this project use, with coderd's scope
 * checks: reads the token cannot make are 404 (coderd hides what you may not see), actions 403.
 */
public final class ApiRoutes {
  private final Store store;
  private final Agents agents;
  private final SandboxOptions options;

  public ApiRoutes(Store store, Agents agents, SandboxOptions options) {
    this.store = store;
    this.agents = agents;
    this.options = options;
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
    if (p.length < 3 || !p[1].equals("v2")) {
      Http.notFound(ex);
      return true;
    }
    boolean known = path.equals("/api/v2/deployment/ssh") || path.equals("/api/v2/workspaces")
        || p[2].equals("users") && (p.length == 4 || p.length == 6 && p[4].equals("workspace"))
        || p[2].equals("workspaces") && (p.length == 4 || p.length == 5 && p[4].equals("builds"))
        || p[2].equals("workspaceagents") && (p.length == 4 || p.length == 5 && p[4].equals("connection"));
    if (!known) {
      Http.notFound(ex);
      return true;
    }
    ApiAuth.Principal who = ApiAuth.authenticate(ex, store);
    if (who == null) {
      return true;
    }
    String method = ex.getRequestMethod();
    if (p[2].equals("workspaces") && p.length == 5) {
      if (!method.equals("POST")) {
        Http.message(ex, 405, "Method not allowed.", null);
      } else {
        startBuild(ex, who, p[3]);
      }
      return true;
    }
    if (!method.equals("GET")) {
      Http.message(ex, 405, "Method not allowed.", null);
      return true;
    }
    switch (p[2]) {
      case "deployment" -> deploymentSsh(ex);
      case "users" -> {
        if (p.length == 4) {
          user(ex, who, p[3]);
        } else {
          workspaceByName(ex, who, p[3], p[5]);
        }
      }
      case "workspaces" -> {
        if (p.length == 3) {
          list(ex, who);
        } else {
          workspaceById(ex, who, p[3]);
        }
      }
      default -> agent(ex, who, p[3], p.length == 5);
    }
    return true;
  }

  private void buildInfo(HttpExchange ex) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("external_url", "https://github.com/coder/coder");
    m.put("version", SandboxOptions.VERSION);
    m.put("dashboard_url", Http.baseUrl(ex));
    m.put("deployment_id", "00000000-0000-4000-8000-00000000d3b1");
    m.put("agent_api_version", "2.6");
    m.put("workspace_proxy", false);
    m.put("upgrade_message", "");
    m.put("telemetry", false);
    m.put("oauth2_provider", options.provider());
    Http.json(ex, 200, m);
  }

  private void deploymentSsh(HttpExchange ex) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("hostname_prefix", "coder.");
    m.put("hostname_suffix", "");
    m.put("ssh_config_options", Map.of());
    Http.json(ex, 200, m);
  }

  private void user(HttpExchange ex, ApiAuth.Principal who, String name) throws IOException {
    User u = name.equals("me") ? who.user() : store.user(name);
    if (u == null || !u.id().equals(who.user().id()) && !admin(who.user())) {
      notFound(ex);
      return;
    }
    boolean self = u.id().equals(who.user().id());
    if (!Scopes.allows(who.key().scopes(), "user:read") && !(self
        && Scopes.allows(who.key().scopes(), "user:read_personal"))) {
      forbidden(ex, "user:read_personal");
      return;
    }
    Http.json(ex, 200, WorkspaceJson.user(u));
  }

  private void workspaceByName(HttpExchange ex, ApiAuth.Principal who, String owner, String name) throws IOException {
    Workspace ws = store.workspace(owner.equals("me") ? who.user().username() : owner, name);
    if (!readable(who, ws)) {
      notFound(ex);
      return;
    }
    Http.json(ex, 200, WorkspaceJson.workspace(ws));
  }

  private void workspaceById(HttpExchange ex, ApiAuth.Principal who, String id) throws IOException {
    Workspace ws = store.workspace(id);
    if (!readable(who, ws)) {
      notFound(ex);
      return;
    }
    Http.json(ex, 200, WorkspaceJson.workspace(ws));
  }

  private void list(HttpExchange ex, ApiAuth.Principal who) throws IOException {
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
      if (readable(who, ws) && (owner == null || ws.owner().username().equals(owner))) {
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

  private void startBuild(HttpExchange ex, ApiAuth.Principal who, String id) throws IOException {
    Workspace ws = store.workspace(id);
    if (!readable(who, ws)) {
      notFound(ex);
      return;
    }
    String transition;
    try {
      JsonNode body = Http.JSON.readTree(Http.body(ex));
      transition = body == null || !body.hasNonNull("transition") ? "" : body.get("transition").asText();
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      Http.message(ex, 400, "Request body must be valid JSON.", e.getOriginalMessage());
      return;
    }
    if (!transition.equals("start") && !transition.equals("stop")) {
      Http.message(ex, 400, "Invalid transition.", "transition must be start or stop");
      return;
    }
    List<String> scopes = who.key().scopes();
    if (!Scopes.allows(scopes, "workspace:" + transition) && !Scopes.allows(scopes, "workspace:update")) {
      forbidden(ex, "workspace:" + transition);
      return;
    }
    try {
      Build b = agents.startBuild(ws, transition);
      Http.json(ex, 201, WorkspaceJson.build(ws, b));
    } catch (Agents.BuildConflict e) {
      Http.message(ex, 409, e.getMessage(), "Wait for the current build to finish.");
    }
  }

  private void agent(HttpExchange ex, ApiAuth.Principal who, String id, boolean connection) throws IOException {
    Agent a = store.agent(id);
    if (a == null || !readable(who, a.workspace())) {
      notFound(ex);
      return;
    }
    if (!connection) {
      Http.json(ex, 200, WorkspaceJson.agent(a));
      return;
    }
    if (!Scopes.allows(who.key().scopes(), "workspace:ssh")) {
      forbidden(ex, "workspace:ssh");
      return;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("derp_map", Map.of("Regions", Map.of()));
    m.put("derp_force_websockets", false);
    m.put("disable_direct_connections", false);
    m.put("hostname_suffix", "coder");
    int port = a.sshPort();
    if (port > 0) {
      // Sandbox only: the real server hands out DERP/tailnet details instead of an address.
      m.put("sandbox_ssh_address", "127.0.0.1:" + port);
    }
    Http.json(ex, 200, m);
  }

  private boolean readable(ApiAuth.Principal who, Workspace ws) {
    return ws != null && (ws.owner().id().equals(who.user().id()) || admin(who.user()))
        && Scopes.allows(who.key().scopes(), "workspace:read");
  }

  private static boolean admin(User u) {
    return u.roles().contains("owner");
  }

  private static void notFound(HttpExchange ex) throws IOException {
    Http.message(ex, 404, "Resource not found or you do not have access to this resource", null);
  }

  private static void forbidden(HttpExchange ex, String scope) throws IOException {
    Http.message(ex, 403, "Forbidden.", "The API key's scopes do not allow " + scope + ".");
  }

  private static int parse(String s, int dflt) {
    try {
      return s == null ? dflt : Math.max(0, Integer.parseInt(s));
    } catch (NumberFormatException e) {
      return dflt;
    }
  }
}
