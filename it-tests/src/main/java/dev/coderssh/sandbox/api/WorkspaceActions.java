package dev.coderssh.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.coderssh.sandbox.Stats;
import dev.coderssh.sandbox.agent.Agents;
import dev.coderssh.sandbox.http.Http;
import dev.coderssh.sandbox.state.Build;
import dev.coderssh.sandbox.state.Store;
import dev.coderssh.sandbox.state.Workspace;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The calls {@code coder ssh} makes around a workspace's builds: start (and the
 * active-version retry with its dry-run), dormancy, parameters, template versions and the
 * activity report, each with the permission the real server checks.
 */
final class WorkspaceActions {
  private final Store store;
  private final Agents agents;
  private final Stats stats;
  private final Access access;

  WorkspaceActions(Store store, Agents agents, Stats stats, Access access) {
    this.store = store;
    this.agents = agents;
    this.stats = stats;
    this.access = access;
  }

  void handle(HttpExchange ex, String route, ApiAuth.Principal who, String id) throws IOException {
    switch (route) {
      case Routes.BUILDS, Routes.USAGE, Routes.DORMANT -> {
        Workspace ws = store.workspace(id);
        if (ws == null) {
          Access.notFound(ex);
        } else if (!access.readable(who, ws)) {
          access.hidden(ex, route);
        } else if (route.equals(Routes.BUILDS)) {
          startBuild(ex, who, ws);
        } else if (route.equals(Routes.USAGE)) {
          usage(ex, who, ws);
        } else {
          dormant(ex, who, ws);
        }
      }
      case Routes.BUILD, Routes.BUILD_PARAMETERS -> build(ex, route, who, id);
      default -> templateVersion(ex, route, who, id);
    }
  }

  private void startBuild(HttpExchange ex, ApiAuth.Principal who, Workspace ws) throws IOException {
    JsonNode body;
    try {
      body = Http.JSON.readTree(Http.body(ex));
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      Http.message(ex, 400, "Request body must be valid JSON.", e.getOriginalMessage());
      return;
    }
    String transition = text(body, "transition");
    if (!transition.equals("start") && !transition.equals("stop")) {
      Http.message(ex, 400, "Invalid transition.", "transition must be start or stop");
      return;
    }
    String permission = access.profile().enforcesScopes() ? "workspace:" + transition : "workspace:update";
    if (!access.scope(who, permission)) {
      access.forbidden(ex, Routes.BUILDS, permission);
      return;
    }
    String version = text(body, "template_version_id");
    String active = TemplateVersions.active(ws.template());
    if (!version.isEmpty() && !version.equals(active) && !version.equals(TemplateVersions.current(ws))) {
      Http.message(ex, 400, "Template version not found.", null);
      return;
    }
    boolean toActive = version.equals(active);
    if (transition.equals("start") && ws.requiresActiveVersion() && ws.outdated() && !toActive) {
      // coderd's require_active_version rule; the CLI answers it by retrying with the active version.
      // A policy, not a permission the token lacks: not counted as denied.
      Http.message(ex, 403, "Cannot use non-active version: template requires active version.", null);
      return;
    }
    try {
      Build b = agents.startBuild(ws, transition);
      if (toActive) {
        ws.outdated(false);
      }
      Http.json(ex, 201, WorkspaceJson.build(ws, b));
    } catch (Agents.BuildConflict e) {
      Http.message(ex, 409, e.getMessage(), "Wait for the current build to finish.");
    }
  }

  /** TrackUsage: what dormancy and the usage insights read. A refusal is only logged by the CLI. */
  private void usage(HttpExchange ex, ApiAuth.Principal who, Workspace ws) throws IOException {
    Http.body(ex);
    if (!access.scope(who, "workspace:update")) {
      access.forbidden(ex, Routes.USAGE, "workspace:update");
      return;
    }
    ws.lastUsedAt(store.clock().instant());
    stats.usageReport();
    ex.sendResponseHeaders(204, -1);
    ex.close();
  }

  private void dormant(HttpExchange ex, ApiAuth.Principal who, Workspace ws) throws IOException {
    JsonNode body;
    try {
      body = Http.JSON.readTree(Http.body(ex));
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      Http.message(ex, 400, "Request body must be valid JSON.", e.getOriginalMessage());
      return;
    }
    if (!access.scope(who, "workspace:update")) {
      access.forbidden(ex, Routes.DORMANT, "workspace:update");
      return;
    }
    ws.dormant(body != null && body.path("dormant").asBoolean(false));
    Http.json(ex, 200, WorkspaceJson.workspace(ws));
  }

  private void build(HttpExchange ex, String route, ApiAuth.Principal who, String id) throws IOException {
    Workspace ws = null;
    for (Workspace w : store.workspaces()) {
      if (w.latestBuild().id().equals(id)) {
        ws = w;
      }
    }
    if (ws == null) {
      Access.notFound(ex);
    } else if (!access.readable(who, ws)) {
      access.hidden(ex, route);
    } else if (route.equals(Routes.BUILD)) {
      Http.json(ex, 200, WorkspaceJson.build(ws, ws.latestBuild()));
    } else {
      Http.json(ex, 200, List.of());
    }
  }

  private void templateVersion(HttpExchange ex, String route, ApiAuth.Principal who, String id) throws IOException {
    String template = TemplateVersions.template(id);
    if (template == null) {
      Access.notFound(ex);
      return;
    }
    if (route.equals(Routes.DRY_RUN)) {
      Http.body(ex);
      // A dry-run provisions a plan as if creating a workspace.
      if (!access.scope(who, "workspace:create")) {
        access.forbidden(ex, route, "workspace:create");
        return;
      }
      Map<String, Object> job = new LinkedHashMap<>();
      job.put("id", java.util.UUID.randomUUID().toString());
      job.put("status", "succeeded");
      Http.json(ex, 201, job);
      return;
    }
    if (!access.scope(who, "template:read")) {
      access.hidden(ex, route);
      return;
    }
    if (route.equals(Routes.EXTERNAL_AUTH) && !access.scope(who, "user:read_personal")) {
      // The external auth links are the user's own data.
      access.forbidden(ex, route, "user:read_personal");
      return;
    }
    if (route.equals(Routes.VERSION)) {
      Http.json(ex, 200, TemplateVersions.json(id, template));
    } else {
      Http.json(ex, 200, List.of());
    }
  }

  private static String text(JsonNode body, String field) {
    return body == null || !body.hasNonNull(field) ? "" : body.get(field).asText();
  }
}
