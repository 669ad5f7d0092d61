package dev.coderssh.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.coderssh.sandbox.faults.Fault;
import dev.coderssh.sandbox.faults.FaultKind;
import dev.coderssh.sandbox.http.Http;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /sandbox/*}: the test API, so end-to-end tests and benchmarks in other processes can read
 * counters and steer the deployment. Loopback callers only, and no authentication: it is a sandbox.
 */
final class ControlRoutes {
  private final Sandbox sandbox;

  ControlRoutes(Sandbox sandbox) {
    this.sandbox = sandbox;
  }

  boolean handle(HttpExchange ex, String path) throws IOException {
    if (!path.startsWith("/sandbox/")) {
      return false;
    }
    if (!ex.getRemoteAddress().getAddress().isLoopbackAddress()) {
      Http.message(ex, 403, "The sandbox test API answers loopback callers only.", null);
      return true;
    }
    String method = ex.getRequestMethod();
    if (path.equals("/sandbox/stats") && method.equals("GET")) {
      Http.json(ex, 200, sandbox.stats());
      return true;
    }
    if (path.equals("/sandbox/faults") && method.equals("GET")) {
      Http.json(ex, 200, Map.of("pending", sandbox.faults().pending()));
      return true;
    }
    if (path.equals("/sandbox/faults") && method.equals("DELETE")) {
      sandbox.faults().clear();
      ok(ex);
      return true;
    }
    if (!method.equals("POST")) {
      Http.notFound(ex);
      return true;
    }
    JsonNode body;
    try {
      byte[] raw = Http.body(ex);
      body = raw.length == 0 ? Http.JSON.createObjectNode() : Http.JSON.readTree(raw);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      Http.message(ex, 400, "Request body must be valid JSON.", null);
      return true;
    }
    try {
      switch (path) {
        case "/sandbox/reset-stats" -> {
          sandbox.resetStats();
          ok(ex);
        }
        case "/sandbox/reset-rate-limit" -> {
          sandbox.resetRateLimit();
          ok(ex);
        }
        case "/sandbox/faults" -> {
          List<Fault> added = new ArrayList<>();
          for (JsonNode f : body.isArray() ? body : List.of(body)) {
            added.add(new Fault(FaultKind.parse(f.path("kind").asText()), f.path("count").asInt(1),
                f.path("param").asLong(0)));
          }
          added.forEach(sandbox.faults()::inject);
          Http.json(ex, 200, Map.of("pending", sandbox.faults().pending()));
        }
        case "/sandbox/revoke-all" -> Http.json(ex, 200, Map.of("deleted", sandbox.revokeTokens(text(body, "user"))));
        case "/sandbox/expire" -> Http.json(ex, 200, Map.of("expired", sandbox.expireTokens(text(body, "user"),
            body.path("access").asBoolean(true), body.path("refresh").asBoolean(false))));
        case "/sandbox/workspaces" -> {
          List<String> agents = new ArrayList<>();
          body.path("agents").forEach(a -> agents.add(a.asText()));
          Sandbox.WorkspaceInfo ws = sandbox.addWorkspace(body.path("owner").asText(sandbox.username()),
              body.path("name").asText(), agents.isEmpty() ? List.of("main") : agents,
              body.path("running").asBoolean(true));
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("id", ws.id());
          m.put("name", ws.name());
          m.put("owner_name", ws.owner());
          Http.json(ex, 201, m);
        }
        case "/sandbox/apps" -> {
          List<String> uris = new ArrayList<>();
          body.path("redirect_uris").forEach(u -> uris.add(u.asText()));
          Sandbox.AppCredentials app = sandbox.createApp(body.path("name").asText("Sandbox app"), uris,
              body.path("confidential").asBoolean(true), text(body, "scope"));
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("client_id", app.clientId());
          if (app.clientSecret() != null) {
            m.put("client_secret", app.clientSecret());
          }
          Http.json(ex, 201, m);
        }
        default -> Http.notFound(ex);
      }
    } catch (IllegalArgumentException e) {
      Http.message(ex, 400, e.getMessage(), null);
    }
    return true;
  }

  private static String text(JsonNode body, String field) {
    JsonNode n = body.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }

  private static void ok(HttpExchange ex) throws IOException {
    Http.json(ex, 200, Map.of("ok", true));
  }
}
