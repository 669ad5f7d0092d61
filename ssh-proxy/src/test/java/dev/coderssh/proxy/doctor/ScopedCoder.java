package dev.coderssh.proxy.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * The endpoints the scope probes call, answering as coderd does for a token holding
 * {@code permissions} (low-level {@code resource:action}, as a scope-enforcing server checks them):
 * reads the token may not do are hidden (404, a filtered list), a refused usage report is 403
 * (workspaces.go, workspaceagents.go). Deliberately independent of the client's scope catalogue.
 */
final class ScopedCoder extends Dispatcher {
    static final String TOKEN = "Abcdefghij-0123456789abcdefghijkl";
    static final String WS = "9b3c1d9e-0000-4000-8000-000000000001";
    static final String AGENT = "9b3c1d9e-0000-4000-8000-0000000000a1";
    static final String VERSION = "9b3c1d9e-0000-4000-8000-0000000000f1";
    volatile Set<String> permissions;
    /** The latest build's status; "stopped" builds have no agents. */
    volatile String buildStatus = "running";
    /** Older servers answer the coordinate probe with the websocket library's 426. */
    volatile boolean checksCoordinateVersion = true;
    final List<String> calls = new ArrayList<>();

    ScopedCoder(Set<String> permissions) {
        this.permissions = permissions;
    }

    @Override
    public MockResponse dispatch(RecordedRequest req) {
        String path = req.getUrl().encodedPath();
        String call = req.getMethod() + " " + path;
        synchronized (calls) {
            calls.add(call + (req.getUrl().encodedQuery() == null ? "" : "?" + req.getUrl().encodedQuery()));
        }
        if (!TOKEN.equals(req.getHeaders().get("Coder-Session-Token"))) {
            return json(401, "{\"message\":\"You must be logged in.\"}");
        }
        switch (call) {
            case "GET /api/v2/users/me":
                return may("user:read") ? json(200, "{\"id\":\"u1\",\"username\":\"alice\"}") : notFound();
            case "GET /api/v2/workspaces":
                return json(200, may("workspace:read") ? "{\"workspaces\":[" + workspace() + "],\"count\":1}"
                        : "{\"workspaces\":[],\"count\":0}");
            case "GET /api/v2/users/me/workspace/dev":
            case "GET /api/v2/users/alice/workspace/dev":
                return may("workspace:read") ? json(200, workspace()) : notFound();
            case "GET /api/v2/templateversions/" + VERSION:
                return may("template:read") ? json(200, "{\"id\":\"" + VERSION + "\"}") : notFound();
            case "GET /api/v2/workspaceagents/" + AGENT + "/connection":
                return may("workspace:read") ? json(200, "{\"derp_map\":{}}") : notFound();
            case "GET /api/v2/workspaceagents/" + AGENT + "/coordinate":
                if (!may("workspace:read") || !may("workspace:ssh")) {
                    return notFound();
                }
                return checksCoordinateVersion
                        ? json(400, "{\"message\":\"Unknown or unsupported API version\",\"validations\":[{\"field\":\"version\"}]}")
                        : new MockResponse.Builder().code(426).body("WebSocket protocol violation: Connection header \"\""
                                + " does not contain Upgrade\n").build();
            case "POST /api/v2/workspaces/" + WS + "/usage":
                if (!may("workspace:read")) {
                    return notFound();
                }
                return may("workspace:update") ? new MockResponse.Builder().code(204).build()
                        : json(403, "{\"message\":\"Forbidden.\"}");
            default:
                return json(404, "{\"message\":\"Route not found.\"}");
        }
    }

    List<String> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    private boolean may(String permission) {
        return permissions.contains(permission);
    }

    private String workspace() {
        String agents = "running".equals(buildStatus)
                ? "[{\"id\":\"" + AGENT + "\",\"name\":\"main\",\"status\":\"connected\"}]" : "[]";
        return "{\"id\":\"" + WS + "\",\"name\":\"dev\",\"owner_name\":\"alice\",\"latest_build\":{\"status\":\""
                + buildStatus + "\",\"template_version_id\":\"" + VERSION + "\",\"resources\":[{\"agents\":" + agents + "}]}}";
    }

    private static MockResponse notFound() {
        return json(404, "{\"message\":\"Resource not found or you do not have access to this resource\"}");
    }

    static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
    }
}
