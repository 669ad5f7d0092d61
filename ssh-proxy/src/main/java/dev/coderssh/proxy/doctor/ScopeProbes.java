package dev.coderssh.proxy.doctor;

import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.http.HttpOptions;
import dev.coderssh.core.http.HttpRequest;
import dev.coderssh.core.http.HttpResponse;
import dev.coderssh.core.http.HttpTransport;
import dev.coderssh.core.json.Json;
import dev.coderssh.core.json.JsonException;
import dev.coderssh.core.json.JsonFields;
import dev.coderssh.core.scope.Capability;
import dev.coderssh.core.token.AccessToken;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Asks the deployment, with the stored token, for each call a {@code coder ssh} session makes
 * (reference: "The API calls of one coder ssh --stdio"), so a refused call shows up here and not
 * mid-session. Real Coder hides what a token may not read (404) and refuses an update with 403.
 * Each probe is a request whose allowed answer changes nothing, except the activity report: coderd
 * records a use before it looks at the request (workspaces.go {@code postWorkspaceUsage}).
 * The probes share one time budget, the transport's connect plus read timeout.
 */
final class ScopeProbes {
    /** coderd checks the version only after the workspace:ssh check, and answers 400 before any websocket. */
    static final String COORDINATE_PROBE_VERSION = "99.99";
    /** What is probed, in session order; the report names each by {@link Capability#id()}. */
    static final List<Capability> PROBED = List.of(Capability.WHO_AM_I, Capability.WORKSPACE_LOOKUP,
            Capability.CONNECT, Capability.ACTIVITY_REPORT);
    private final HttpTransport http;
    private final DeploymentUrl url;
    private final AccessToken token;
    private final Clock clock;
    private final Duration perCall;
    private final Instant deadline;
    private final Verdicts verdicts;
    private volatile boolean rejected;

    ScopeProbes(HttpTransport http, DeploymentUrl url, AccessToken token, HttpOptions options, Clock clock) {
        this.http = http;
        this.url = url;
        this.token = token;
        this.clock = clock;
        this.perCall = options.readTimeout();
        this.deadline = clock.instant().plus(options.connectTimeout()).plus(options.readTimeout());
        this.verdicts = new Verdicts(url, token.scopes());
    }

    /** One outcome per probed capability, in session order; {@code workspace} is [owner/]name or null. */
    Map<Capability, Outcome> run(String workspace) {
        Map<Capability, Outcome> out = new LinkedHashMap<>();
        out.put(Capability.WHO_AM_I, whoAmI());
        ProbeTarget[] target = new ProbeTarget[1];
        Outcome lookup = lookup(workspace, target);
        out.put(Capability.WORKSPACE_LOOKUP, lookup);
        if (target[0] == null) {
            Outcome skipped = lookup instanceof Outcome.Fail
                    ? Outcome.fail("not checked: no workspace to probe", "fix the workspace-lookup check first")
                    : Outcome.unknown("not checked: no workspace to probe", "fix the workspace-lookup check first");
            out.put(Capability.CONNECT, skipped);
            out.put(Capability.ACTIVITY_REPORT, skipped);
            return out;
        }
        out.put(Capability.CONNECT, connect(target[0]));
        out.put(Capability.ACTIVITY_REPORT, activity(target[0]));
        return out;
    }

    private Outcome whoAmI() {
        Reply r = send("GET", "/api/v2/users/me");
        rejected = r.status() == 401;
        return verdicts.judge(Capability.WHO_AM_I, "user:read", "GET /api/v2/users/me", r, Set.of(200));
    }

    /** Whether the deployment answered the first probe with 401: it no longer takes the stored token. */
    boolean tokenRejected() {
        return rejected;
    }

    private Outcome lookup(String named, ProbeTarget[] found) {
        String owner;
        String name;
        if (named == null) {
            Reply list = send("GET", "/api/v2/workspaces?q=" + enc("owner:me") + "&limit=25");
            Outcome o = verdicts.judge(Capability.WORKSPACE_LOOKUP, "workspace:read", "GET /api/v2/workspaces?q=owner:me",
                    list, Set.of(200));
            if (!(o instanceof Outcome.Pass)) {
                return o;
            }
            ProbeTarget listed = ProbeTarget.pick(JsonFields.objects(list.json(), "workspaces"));
            if (listed == null) {
                // coderd filters lists by what the token may read: empty is also what a refusal looks like.
                return Outcome.unknown("no workspace of yours is listed (you have none, or the sign-in may not read"
                        + " workspaces: workspace:read)", "pass --workspace NAME to probe one");
            }
            owner = listed.owner();
            name = listed.name();
        } else {
            int slash = named.indexOf('/');
            owner = slash < 0 ? "me" : named.substring(0, slash);
            name = named.substring(slash + 1);
        }
        String call = "GET /api/v2/users/" + owner + "/workspace/" + name;
        Reply w = send("GET", "/api/v2/users/" + enc(owner) + "/workspace/" + enc(name));
        if (named != null && w.status() == 404) {
            return Outcome.unknown(call + " answered HTTP 404: there is no workspace " + named
                    + ", or the sign-in may not read it (workspace:read)", "check the name given to --workspace");
        }
        Outcome o = verdicts.judge(Capability.WORKSPACE_LOOKUP, "workspace:read", call, w, Set.of(200));
        if (!(o instanceof Outcome.Pass)) {
            return o;
        }
        ProbeTarget t = ProbeTarget.of(w.json());
        found[0] = t.id() == null ? null : t;
        if (t.templateVersionId() == null) {
            return Outcome.unknown("found " + t.label() + ", but its latest build names no template version",
                    "run doctor again once the workspace has a build");
        }
        Reply v = send("GET", "/api/v2/templateversions/" + enc(t.templateVersionId()));
        o = verdicts.judge(Capability.WORKSPACE_LOOKUP, "template:read", "GET /api/v2/templateversions/{id}", v, Set.of(200));
        return o instanceof Outcome.Pass ? Outcome.pass("found " + t.label() + " and its template version") : o;
    }

    private Outcome connect(ProbeTarget t) {
        if (t.agentId() == null) {
            return Outcome.unknown(t.label() + " has no agent to probe (its latest build is "
                    + (t.status() == null ? "unknown" : t.status()) + ")",
                    "start the workspace, or pass --workspace with a running one, and run doctor again");
        }
        String agent = "/api/v2/workspaceagents/" + enc(t.agentId());
        Outcome o = verdicts.judge(Capability.CONNECT, "workspace:read", "GET /api/v2/workspaceagents/{id}/connection",
                send("GET", agent + "/connection"), Set.of(200));
        if (!(o instanceof Outcome.Pass)) {
            return o;
        }
        // A plain GET (no websocket upgrade) with a version coderd does not speak: past the
        // workspace:ssh check the newest servers answer 400 "Unknown or unsupported API version",
        // older ones 426 or 400 from the websocket library. Nothing is opened either way. A 2xx
        // (a stand-in without websockets) is past the check too.
        Reply r = send("GET", agent + "/coordinate?version=" + COORDINATE_PROBE_VERSION);
        if (r.status() == 403) {
            return Outcome.fail("GET /api/v2/workspaceagents/{id}/coordinate refused by the deployment (HTTP 403: "
                    + r.message() + ")", "ask an admin: the deployment may allow browser connections only");
        }
        o = verdicts.judge(Capability.CONNECT, "workspace:ssh", "GET /api/v2/workspaceagents/{id}/coordinate", r,
                Set.of(200, 204, 400, 426));
        return o instanceof Outcome.Pass ? Outcome.pass("connecting to the agent of " + t.label() + " is allowed"
                + " (coordinate answered HTTP " + r.status() + " to a version probe; nothing was opened)") : o;
    }

    private Outcome activity(ProbeTarget t) {
        Reply r = send("POST", "/api/v2/workspaces/" + enc(t.id()) + "/usage");
        if (r.status() == 404) {
            return Outcome.unknown("POST /api/v2/workspaces/{id}/usage answered HTTP 404 (" + r.message()
                    + "): the deployment may predate the activity report", "compare with `coder ssh` of this deployment");
        }
        Outcome o = verdicts.judge(Capability.ACTIVITY_REPORT, "workspace:update", "POST /api/v2/workspaces/{id}/usage",
                r, Set.of(200, 204));
        return o instanceof Outcome.Pass ? Outcome.pass("sessions are recorded as use (the probe marked " + t.label()
                + " as used now, as opening a session does)") : o;
    }

    private Reply send(String method, String path) {
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.isNegative() || left.isZero()) {
            return Reply.problem("not probed: the earlier probes used up the time allowed");
        }
        HttpRequest req = new HttpRequest(method, url.resolve(path), Map.of(), null, null)
                .withHeader("Coder-Session-Token", token.value());
        try {
            return Reply.of(http.send(req, left.compareTo(perCall) < 0 ? left : perCall));
        } catch (java.io.InterruptedIOException e) {
            return Reply.problem("no answer in time");
        } catch (javax.net.ssl.SSLException e) {
            return Reply.problem("TLS failed");
        } catch (IOException e) {
            return Reply.problem("cannot reach " + url);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** An HTTP answer (status, body) or, with status 0, why there was none. */
    record Reply(int status, String body, String problem) {
        static Reply of(HttpResponse r) {
            return new Reply(r.status(), r.bodyText(), null);
        }

        static Reply problem(String why) {
            return new Reply(0, "", why);
        }

        Map<String, Object> json() {
            try {
                return Json.parseObject(body);
            } catch (JsonException e) {
                return Map.of();
            }
        }

        /** coderd's {"message": ...}, one printable line, or the status. */
        String message() {
            String m = JsonFields.string(json(), "message");
            if (m == null) {
                return "HTTP " + status;
            }
            return dev.coderssh.core.cli.TerminalText.line(m, 200);
        }
    }

}
