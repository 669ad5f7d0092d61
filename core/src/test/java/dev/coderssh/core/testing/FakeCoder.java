package dev.coderssh.core.testing;

import dev.coderssh.core.json.Json;
import dev.coderssh.core.json.JsonFields;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;

/**
 * A MockWebServer dispatcher that behaves like coderd's OAuth2 provider as described in
 * shared/reference/coder-oauth2-provider.md: RFC 8414 metadata, DCR, authorize (auto-consent),
 * single-use codes and refresh tokens, revocation, RFC 7592 management and users/me.
 * Switches let tests pick metadata variants and inject faults.
 */
public final class FakeCoder extends Dispatcher {
    public volatile boolean providerEnabled = true;
    /** How "provider off" answers: 404 (newest, flag unset) or 403 (older, experiment off). */
    public volatile int providerOffStatus = 404;
    /**
     * Older servers ({@code httpapi.RedirectURL}): the redirect's host INCLUDING the port must equal
     * the app's callback URL (its first registered redirect URI), its path have that path as
     * prefix. Newest ({@code RedirectURIMatches}): exact, except any port on a loopback http URI.
     */
    public volatile boolean comparePort = false;
    /** RFC 7592 PUT of a registration; false answers 405 as a server without it would. */
    public volatile boolean registrationUpdates = true;
    /** scopes_supported in the metadata; null leaves the field out. */
    public volatile List<String> scopesSupported = List.of("coder:all", "coder:workspaces.access",
            "coder:workspaces.operate", "workspace:start", "workspace:create", "template:read", "user:read",
            "user:read_personal");
    /** Extra metadata members (RFC 8414 lets servers add any). */
    public final Map<String, Object> extraMetadata = new LinkedHashMap<>();
    /** Metadata members left out (after {@link #extraMetadata}), for servers that omit some. */
    public final java.util.Set<String> omitMetadata = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Scope-enforcing servers (2.35+): users/me needs user:read and answers 404 without. */
    public volatile boolean enforceScopes = true;
    public final AtomicInteger registrationUpdatesMade = new AtomicInteger();
    /** "rfc8414", "oidc" (only openid-configuration), or "none". */
    public volatile String metadataVariant = "rfc8414";
    public volatile boolean dcrEnabled = true;
    public volatile List<String> authMethods = List.of("client_secret_basic", "client_secret_post", "none");
    public volatile List<String> challengeMethods = List.of("S256");
    public volatile List<String> grantTypes = List.of("authorization_code", "refresh_token");
    public volatile long accessLifetimeSeconds = 86400;
    /** When set, authorize redirects with this error instead of a code. */
    public volatile String authorizeError;
    /** When set, the granted scope differs from the requested one. */
    public volatile String grantedScopeOverride;
    public volatile String username = "alice";
    /** When set, the registration_client_uri handed out is this plus the client id (else this server's own). */
    public volatile String registrationClientUriBase;
    /** buildinfo's version. */
    public volatile String version = "v2.38.0";
    /** Responses served by /oauth2/tokens before the normal behaviour, one per request. */
    public final Deque<MockResponse> tokenFaults = new ArrayDeque<>();
    /** Members added to (or replacing) a registration answer, for servers that send odd ones. */
    public final Map<String, Object> extraRegistration = new LinkedHashMap<>();
    /** Responses served by /oauth2/register before the normal behaviour. */
    public final Deque<MockResponse> registerFaults = new ArrayDeque<>();

    public final AtomicInteger refreshRequests = new AtomicInteger();
    /** Key id -> the expiry {@code GET /users/me/keys/{id}} reports; a key not listed answers 404. */
    public final Map<String, java.time.Instant> keyExpiry = new java.util.concurrent.ConcurrentHashMap<>();
    public final AtomicInteger keyChecks = new AtomicInteger();
    public final AtomicInteger codeExchanges = new AtomicInteger();
    public final AtomicInteger registrations = new AtomicInteger();
    public final AtomicInteger revocations = new AtomicInteger();
    public final AtomicInteger clientDeletes = new AtomicInteger();
    public final List<Map<String, String>> tokenRequests = new ArrayList<>();
    public volatile Map<String, String> lastAuthorize;

    private final Map<String, Client> clients = new HashMap<>();
    private final Map<String, Code> codes = new HashMap<>();
    private final Map<String, String> refreshToAccess = new HashMap<>();
    private final Set<String> liveAccess = new HashSet<>();
    private final Map<String, String> accessScope = new HashMap<>();
    private final Set<String> sessionTokens = new HashSet<>();
    private final AtomicInteger serial = new AtomicInteger();

    private record Client(String id, String secret, String method, String regToken, String scope,
                          List<String> redirectUris) {
    }

    private record Code(String clientId, String challenge, String redirectUri, String scope) {
    }

    /** Registers a confidential client as an admin would in the dashboard. */
    public synchronized String[] adminClient() {
        return adminClient("http://127.0.0.1/callback");
    }

    /** An admin-created app with ONE callback URL, as the dashboard makes them. */
    public synchronized String[] adminClient(String callbackUrl) {
        String id = "admin-" + serial.incrementAndGet();
        String secret = "secret-" + serial.incrementAndGet();
        clients.put(id, new Client(id, secret, "client_secret_basic", null, "", List.of(callbackUrl)));
        return new String[] {id, secret};
    }

    /** The redirect URIs registered for {@code clientId}, or null for an unknown client. */
    public synchronized List<String> redirectUris(String clientId) {
        Client c = clients.get(clientId);
        return c == null ? null : c.redirectUris();
    }

    /** The newest server: public clients, 404 when off, port ignored. */
    public FakeCoder current() {
        authMethods = List.of("client_secret_basic", "client_secret_post", "none");
        providerOffStatus = 404;
        comparePort = false;
        return this;
    }

    /** An older server: confidential clients only, 403 when off, the redirect port compared. */
    public FakeCoder legacy() {
        authMethods = List.of("client_secret_basic", "client_secret_post");
        providerOffStatus = 403;
        comparePort = true;
        return this;
    }

    /** Mints a refresh/access pair for {@code clientId} directly, as if a login had happened. */
    public synchronized String[] issue(String clientId, String scope) {
        return mint(clientId, scope);
    }

    public synchronized void forgetClient(String clientId) {
        clients.remove(clientId);
    }

    public synchronized void addSessionToken(String token) {
        sessionTokens.add(token);
    }

    public synchronized boolean accessTokenLive(String token) {
        return liveAccess.contains(token) || sessionTokens.contains(token);
    }

    public synchronized boolean refreshTokenLive(String token) {
        return refreshToAccess.containsKey(token);
    }

    /** Kills an access token without touching its refresh token (simulates server-side expiry). */
    public synchronized void killAccess(String token) {
        liveAccess.remove(token);
    }

    /** Deletes the refresh token too: what Coder does when the key is deleted (cascade) or revoked. */
    public synchronized void revokeRefresh(String refreshToken) {
        refreshToAccess.remove(refreshToken);
    }

    @Override
    public MockResponse dispatch(RecordedRequest req) {
        HttpUrl url = req.getUrl();
        String path = url.encodedPath();
        synchronized (this) {
            if (path.equals("/api/v2/buildinfo")) {
                return json(200, "{\"external_url\":\"https://github.com/coder/coder\",\"version\":" + Json.write(version)
                        + ",\"dashboard_url\":\"" + base(url) + "\",\"deployment_id\":\"d1\"}");
            }
            if (path.startsWith("/api/v2/users/me/keys/")) {
                // Coder's key record: its expiry as the server keeps it (moved on by use).
                String t = req.getHeaders().get("Coder-Session-Token");
                if (t == null || !liveAccess.contains(t)) {
                    return json(401, "{\"message\":\"You must be logged in.\"}");
                }
                String id = path.substring("/api/v2/users/me/keys/".length());
                java.time.Instant until = keyExpiry.get(id);
                keyChecks.incrementAndGet();
                return until == null ? json(404, "{\"message\":\"Resource not found\"}")
                        : json(200, "{\"id\":\"" + id + "\",\"expires_at\":\"" + until + "\",\"lifetime_seconds\":86400}");
            }
            if (path.equals("/api/v2/users/me")) {
                String t = req.getHeaders().get("Coder-Session-Token");
                if (t == null || !(liveAccess.contains(t) || sessionTokens.contains(t))) {
                    return json(401, "{\"message\":\"You must be logged in.\"}");
                }
                if (enforceScopes && liveAccess.contains(t) && !grants(accessScope.get(t), "user:read")) {
                    return json(404, "{\"message\":\"Resource not found or you do not have access to this resource\"}");
                }
                return json(200, "{\"id\":\"u1\",\"username\":" + Json.write(username) + ",\"email\":\"a@example.com\",\"name\":\"Alice\"}");
            }
            if (!providerEnabled && (path.startsWith("/oauth2/") || path.startsWith("/.well-known/"))) {
                return providerOffStatus == 403
                        ? json(403, "{\"message\":\"Experiment 'oauth2' is required but not enabled\"}")
                        : json(404, "{\"message\":\"Route not found.\"}");
            }
            switch (path) {
                case "/.well-known/oauth-authorization-server":
                    return metadataVariant.equals("rfc8414") ? json(200, metadata(url)) : json(404, "{\"message\":\"Route not found.\"}");
                case "/.well-known/openid-configuration":
                    return metadataVariant.equals("oidc") ? json(200, metadata(url)) : json(404, "{\"message\":\"Route not found.\"}");
                case "/oauth2/register":
                    return register(req);
                case "/oauth2/authorize":
                    return authorize(url);
                case "/oauth2/tokens":
                    return tokens(req);
                case "/oauth2/revoke":
                    return revoke(req);
                default:
                    if (path.startsWith("/oauth2/clients/")) {
                        return manage(req, path.substring("/oauth2/clients/".length()));
                    }
                    return json(404, "{\"message\":\"Route not found.\"}");
            }
        }
    }

    private String metadata(HttpUrl url) {
        Map<String, Object> m = new LinkedHashMap<>();
        String b = base(url);
        m.put("issuer", b);
        m.put("authorization_endpoint", b + "/oauth2/authorize");
        m.put("token_endpoint", b + "/oauth2/tokens");
        m.put("revocation_endpoint", b + "/oauth2/revoke");
        if (dcrEnabled) {
            m.put("registration_endpoint", b + "/oauth2/register");
        }
        m.put("response_types_supported", List.of("code"));
        m.put("grant_types_supported", grantTypes);
        m.put("code_challenge_methods_supported", challengeMethods);
        m.put("token_endpoint_auth_methods_supported", authMethods);
        if (scopesSupported != null) {
            m.put("scopes_supported", scopesSupported);
        }
        m.putAll(extraMetadata);
        m.keySet().removeAll(omitMetadata);
        return Json.write(m);
    }

    private MockResponse register(RecordedRequest req) {
        if (!dcrEnabled) {
            return json(404, "{\"message\":\"Route not found.\"}");
        }
        if (!registerFaults.isEmpty()) {
            return registerFaults.poll();
        }
        Map<String, Object> body = Json.parseObject(req.getBody().utf8());
        List<String> redirects = JsonFields.strings(body, "redirect_uris");
        if (redirects.isEmpty()) {
            return json(400, "{\"error\":\"invalid_redirect_uri\",\"error_description\":\"redirect_uris required\"}");
        }
        registrations.incrementAndGet();
        String method = JsonFields.string(body, "token_endpoint_auth_method");
        method = method == null ? "client_secret_basic" : method;
        if (!authMethods.contains(method)) {
            return json(400, "{\"error\":\"invalid_client_metadata\",\"error_description\":\"unsupported auth method\"}");
        }
        String id = "dcr-" + serial.incrementAndGet();
        String secret = method.equals("none") ? null : "dcr-secret-" + serial.incrementAndGet();
        String reg = "regtoken-" + serial.incrementAndGet();
        clients.put(id, new Client(id, secret, method, reg, JsonFields.string(body, "scope"), List.copyOf(redirects)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("client_id", id);
        if (secret != null) {
            out.put("client_secret", secret);
        }
        out.put("client_name", JsonFields.string(body, "client_name"));
        out.put("token_endpoint_auth_method", method);
        out.put("registration_access_token", reg);
        out.put("registration_client_uri", (registrationClientUriBase != null ? registrationClientUriBase
                : base(req.getUrl()) + "/oauth2/clients/") + id);
        out.put("client_secret_expires_at", 0L);
        out.putAll(extraRegistration);
        return json(201, Json.write(out));
    }

    private MockResponse manage(RecordedRequest req, String id) {
        Client c = clients.get(id);
        String auth = req.getHeaders().get("Authorization");
        if (c == null || auth == null || !auth.equals("Bearer " + c.regToken())) {
            return json(401, "{\"error\":\"invalid_token\"}");
        }
        if (req.getMethod().equals("DELETE")) {
            clients.remove(id);
            clientDeletes.incrementAndGet();
            return new MockResponse.Builder().code(204).build();
        }
        if (req.getMethod().equals("PUT")) {
            if (!registrationUpdates) {
                return json(405, "{\"message\":\"Method not allowed\"}");
            }
            Map<String, Object> body = Json.parseObject(req.getBody().utf8());
            List<String> redirects = JsonFields.strings(body, "redirect_uris");
            if (redirects.isEmpty() || !id.equals(JsonFields.string(body, "client_id"))) {
                return json(400, "{\"error\":\"invalid_client_metadata\"}");
            }
            clients.put(id, new Client(id, c.secret(), c.method(), c.regToken(), JsonFields.string(body, "scope"),
                    List.copyOf(redirects)));
            registrationUpdatesMade.incrementAndGet();
            return json(200, Json.write(Map.of("client_id", id, "redirect_uris", redirects)));
        }
        return json(200, "{\"client_id\":\"" + id + "\"}");
    }

    private MockResponse authorize(HttpUrl url) {
        Map<String, String> q = new LinkedHashMap<>();
        for (String n : url.queryParameterNames()) {
            q.put(n, url.queryParameter(n));
        }
        lastAuthorize = q;
        Client c = clients.get(q.get("client_id"));
        String redirect = q.get("redirect_uri");
        if (c == null || redirect == null || !redirectAllowed(c, redirect)) {
            return new MockResponse.Builder().code(400).body("bad client or redirect_uri: must be a subset of "
                    + (c == null ? "?" : c.redirectUris().get(0))).build();
        }
        String state = q.get("state");
        String target;
        if (authorizeError != null) {
            target = redirect + "?error=" + authorizeError + "&error_description=The+user+said+no&state=" + state;
        } else if (!"S256".equals(q.getOrDefault("code_challenge_method", "S256")) || q.get("code_challenge") == null) {
            target = redirect + "?error=invalid_request&state=" + state;
        } else {
            String code = "coder_" + serial.incrementAndGet() + "abcdefghij_" + "x".repeat(40);
            codes.put(code, new Code(c.id(), q.get("code_challenge"), redirect, q.get("scope")));
            target = redirect + "?code=" + code + "&state=" + state;
        }
        return new MockResponse.Builder().code(302).addHeader("Location", target).build();
    }

    private MockResponse tokens(RecordedRequest req) {
        if (!"POST".equals(req.getMethod())) {
            // As coderd's router: the OAuth client probes the endpoint with a GET (is the tree gated?).
            return json(405, "{\"message\":\"Method not allowed.\"}");
        }
        Map<String, String> form = form(req.getBody().utf8());
        tokenRequests.add(form);
        if ("refresh_token".equals(form.get("grant_type"))) {
            refreshRequests.incrementAndGet();
        }
        if (!tokenFaults.isEmpty()) {
            return tokenFaults.poll();
        }
        Client c = authenticate(req, form);
        if (c == null) {
            return new MockResponse.Builder().code(401).addHeader("WWW-Authenticate", "Basic realm=\"coder\"")
                    .addHeader("Content-Type", "application/json")
                    .body("{\"error\":\"invalid_client\",\"error_description\":\"client authentication failed\"}").build();
        }
        String grant = form.get("grant_type");
        if ("authorization_code".equals(grant)) {
            codeExchanges.incrementAndGet();
            Code code = codes.remove(form.get("code"));
            if (code == null || !code.clientId().equals(c.id()) || !code.redirectUri().equals(form.get("redirect_uri"))
                    || !code.challenge().equals(s256(form.get("code_verifier")))) {
                return json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"The authorization code is invalid or expired.\"}");
            }
            String[] pair = mint(c.id(), grantedScopeOverride != null ? grantedScopeOverride : code.scope());
            return tokenJson(pair);
        }
        if ("refresh_token".equals(grant)) {
            String rt = form.get("refresh_token");
            String old = refreshToAccess.remove(rt);
            if (old == null || !rt.startsWith("coder_" + c.id() + "_")) {
                return json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"The refresh token is invalid or expired.\"}");
            }
            liveAccess.remove(old);
            return tokenJson(mint(c.id(), accessScope.get(old)));
        }
        return json(400, "{\"error\":\"unsupported_grant_type\"}");
    }

    private MockResponse revoke(RecordedRequest req) {
        Map<String, String> form = form(req.getBody().utf8());
        if (authenticate(req, form) == null) {
            return json(401, "{\"error\":\"invalid_client\"}");
        }
        revocations.incrementAndGet();
        String t = form.get("token");
        String access = refreshToAccess.remove(t);
        if (access != null) {
            liveAccess.remove(access);
        }
        liveAccess.remove(t);
        return new MockResponse.Builder().code(200).build();
    }

    private Client authenticate(RecordedRequest req, Map<String, String> form) {
        String auth = req.getHeaders().get("Authorization");
        String id = form.get("client_id");
        String secret = form.get("client_secret");
        if (auth != null && auth.startsWith("Basic ")) {
            String[] p = new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8).split(":", 2);
            id = java.net.URLDecoder.decode(p[0], StandardCharsets.UTF_8);
            secret = java.net.URLDecoder.decode(p[1], StandardCharsets.UTF_8);
        }
        Client c = id == null ? null : clients.get(id);
        if (c == null) {
            return null;
        }
        if (c.secret() != null && !c.secret().equals(secret)) {
            return null;
        }
        return c;
    }

    /** The two generations of coderd's redirect check (see {@link #comparePort}). */
    private boolean redirectAllowed(Client c, String redirect) {
        HttpUrl v = HttpUrl.parse(redirect);
        if (v == null) {
            return false;
        }
        if (comparePort) {
            HttpUrl base = HttpUrl.parse(c.redirectUris().get(0));
            return base != null && base.host().equals(v.host()) && base.port() == v.port()
                    && v.encodedPath().startsWith(base.encodedPath());
        }
        for (String r : c.redirectUris()) {
            HttpUrl base = HttpUrl.parse(r);
            if (redirect.equals(r) || (base != null && base.scheme().equals("http") && base.host().equals("127.0.0.1")
                    && v.host().equals("127.0.0.1") && base.encodedPath().equals(v.encodedPath()))) {
                return true;
            }
        }
        return false;
    }

    /** Whether a granted scope list holds {@code scope} (or everything). */
    private static boolean grants(String granted, String scope) {
        List<String> g = granted == null ? List.of() : List.of(granted.split(" "));
        return g.contains(scope) || g.contains("coder:all") || g.contains("all") || g.isEmpty() || g.equals(List.of(""));
    }

    private String[] mint(String clientId, String scope) {
        int n = serial.incrementAndGet();
        String access = String.format("AT%08d-%022d", n, n);
        String refresh = "coder_" + clientId + "_refresh" + n;
        liveAccess.add(access);
        accessScope.put(access, scope == null ? "" : scope);
        refreshToAccess.put(refresh, access);
        return new String[] {access, refresh, scope == null ? "" : scope};
    }

    private MockResponse tokenJson(String[] pair) {
        return json(200, "{\"access_token\":\"" + pair[0] + "\",\"token_type\":\"Bearer\",\"expires_in\":" + accessLifetimeSeconds
                + ",\"refresh_token\":\"" + pair[1] + "\",\"scope\":" + Json.write(pair[2]) + "}");
    }

    public static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
    }

    private static String base(HttpUrl url) {
        return url.scheme() + "://" + url.host() + ":" + url.port();
    }

    static Map<String, String> form(String body) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            m.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    private static String s256(String verifier) {
        if (verifier == null) {
            return "";
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(h);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
