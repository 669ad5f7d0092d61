package dev.coderssh.core.api;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.http.HttpRequest;
import dev.coderssh.core.http.HttpResponse;
import dev.coderssh.core.http.HttpTransport;
import dev.coderssh.core.http.HttpTransports;
import dev.coderssh.core.json.Json;
import dev.coderssh.core.json.JsonException;
import dev.coderssh.core.json.JsonFields;
import dev.coderssh.core.token.AccessToken;
import dev.coderssh.core.token.AccessTokens;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link CoderApi} over {@link HttpTransport}, authenticating with {@code Coder-Session-Token}. */
final class HttpCoderApi implements CoderApi {
    private static final int PAGE = 100;
    static final int MAX_WORKSPACES = 10_000;
    private final DeploymentUrl url;
    private final HttpTransport http;
    private final AccessTokens tokens;

    HttpCoderApi(DeploymentUrl url, HttpTransport http, AccessTokens tokens) {
        this.url = url;
        this.http = http;
        this.tokens = tokens;
    }

    @Override
    public BuildInfo buildInfo() {
        Map<String, Object> m = object(send(HttpRequest.get(url.resolve("/api/v2/buildinfo")), "/api/v2/buildinfo"));
        return new BuildInfo(JsonFields.string(m, "version"), JsonFields.string(m, "dashboard_url"));
    }

    @Override
    public User me() {
        return user(object(authed("GET", "/api/v2/users/me", null)));
    }

    static User user(Map<String, Object> m) {
        return new User(JsonFields.string(m, "id"), JsonFields.string(m, "username"), JsonFields.string(m, "email"),
                JsonFields.string(m, "name"));
    }

    @Override
    public Workspace workspace(String owner, String name) {
        return workspace(object(authed("GET", "/api/v2/users/" + enc(owner) + "/workspace/" + enc(name), null)));
    }

    @Override
    public List<Workspace> workspaces(String query) {
        List<Workspace> out = new ArrayList<>();
        for (int offset = 0; ; offset += PAGE) {
            if (offset >= MAX_WORKSPACES) {
                // A server that keeps sending full pages (and no count) would otherwise be followed forever.
                throw CoderSshException.failure(url + " listed more than " + MAX_WORKSPACES + " workspaces for \""
                        + query + "\"; narrow the query");
            }
            Map<String, Object> m = object(authed("GET", "/api/v2/workspaces?q=" + enc(query) + "&limit=" + PAGE
                    + "&offset=" + offset, null));
            List<Map<String, Object>> page = JsonFields.objects(m, "workspaces");
            for (Map<String, Object> w : page) {
                out.add(workspace(w));
            }
            Long count = JsonFields.number(m, "count");
            if (page.size() < PAGE || (count != null && out.size() >= count)) {
                return out;
            }
        }
    }

    @Override
    public void startWorkspace(String workspaceId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("transition", "start");
        authed("POST", "/api/v2/workspaces/" + enc(workspaceId) + "/builds", Json.write(body));
    }

    @Override
    public DeploymentSsh deploymentSsh() {
        Map<String, Object> m = object(authed("GET", "/api/v2/deployment/ssh", null));
        Map<String, String> opts = new LinkedHashMap<>();
        Map<String, Object> raw = JsonFields.object(m, "ssh_config_options");
        if (raw != null) {
            for (Map.Entry<String, Object> e : raw.entrySet()) {
                if (e.getValue() instanceof String) {
                    opts.put(e.getKey(), (String) e.getValue());
                }
            }
        }
        return new DeploymentSsh(JsonFields.string(m, "hostname_prefix"), JsonFields.string(m, "hostname_suffix"), opts);
    }

    static Workspace workspace(Map<String, Object> m) {
        Map<String, Object> build = JsonFields.object(m, "latest_build");
        List<WorkspaceAgent> agents = new ArrayList<>();
        String transition = null;
        String status = null;
        if (build != null) {
            transition = JsonFields.string(build, "transition");
            status = JsonFields.string(build, "status");
            for (Map<String, Object> res : JsonFields.objects(build, "resources")) {
                for (Map<String, Object> a : JsonFields.objects(res, "agents")) {
                    agents.add(new WorkspaceAgent(JsonFields.string(a, "id"), JsonFields.string(a, "name"),
                            JsonFields.string(a, "status"), JsonFields.string(a, "lifecycle_state"),
                            JsonFields.string(a, "operating_system")));
                }
            }
        }
        return new Workspace(JsonFields.string(m, "id"), JsonFields.string(m, "name"), JsonFields.string(m, "owner_name"),
                JsonFields.string(m, "template_name"), JsonFields.bool(m, "outdated"), transition, status, agents);
    }

    /** One authenticated call; a 401 for a token that looked fresh gets one refresh and one retry. */
    private HttpResponse authed(String method, String path, String json) {
        AccessToken token = tokens.fresh(url);
        HttpResponse r = send(request(method, path, json, token), path);
        if (r.status() == 401) {
            token = tokens.refreshAfterRejection(url, token);
            r = send(request(method, path, json, token), path);
            if (r.status() == 401) {
                throw CoderSshException.authRequired("the token for " + url + " was rejected (" + message(r) + ")", url.toString());
            }
        }
        if (r.status() == 403) {
            throw CoderSshException.failure("forbidden: " + message(r) + " (the sign-in may lack a scope; see `coder-ssh status`)");
        }
        if (r.status() == 404) {
            throw CoderSshException.notFound("not found: " + path.replaceAll("\\?.*", "") + " (" + message(r) + ")");
        }
        if (!r.isSuccessful()) {
            throw CoderSshException.failure(method + " " + path.replaceAll("\\?.*", "") + " failed: HTTP " + r.status()
                    + " (" + message(r) + ")");
        }
        return r;
    }

    private HttpRequest request(String method, String path, String json, AccessToken token) {
        HttpRequest req = json == null ? new HttpRequest(method, url.resolve(path), Map.of(), null, null)
                : HttpRequest.json(method, url.resolve(path), json);
        return req.withHeader("Coder-Session-Token", token.value());
    }

    private HttpResponse send(HttpRequest req, String path) {
        try {
            return http.send(req);
        } catch (javax.net.ssl.SSLException e) {
            throw new CoderSshException(dev.coderssh.core.ExitCode.FAILURE, HttpTransports.problem(e, url.toString()), e);
        } catch (IOException e) {
            throw CoderSshException.failure("cannot reach " + url + " (" + HttpTransports.problem(e, url.toString()) + ")");
        }
    }

    private Map<String, Object> object(HttpResponse r) {
        if (!r.isSuccessful()) {
            throw CoderSshException.failure("HTTP " + r.status() + " from " + url + " (" + message(r) + ")");
        }
        try {
            return Json.parseObject(r.bodyText());
        } catch (JsonException e) {
            throw CoderSshException.failure("unexpected response from " + url + ": not a JSON object");
        }
    }

    /** coderd's {"message": ...}, one printable line. */
    static String message(HttpResponse r) {
        try {
            String m = JsonFields.string(Json.parseObject(r.bodyText()), "message");
            if (m != null) {
                return m.replaceAll("[\\p{Cntrl}]", " ").substring(0, Math.min(m.length(), 200));
            }
        } catch (JsonException e) {
            // fall through
        }
        return "HTTP " + r.status();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
