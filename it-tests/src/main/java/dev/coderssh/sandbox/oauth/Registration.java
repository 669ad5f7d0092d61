package dev.coderssh.sandbox.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.coderssh.sandbox.Profile;
import dev.coderssh.sandbox.Stats;
import dev.coderssh.sandbox.http.Http;
import dev.coderssh.sandbox.state.OAuthApp;
import dev.coderssh.sandbox.state.Scopes;
import dev.coderssh.sandbox.state.Secrets;
import dev.coderssh.sandbox.state.Store;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** RFC 7591 dynamic client registration and RFC 7592 client configuration. */
final class Registration {
  private static final Set<String> AUTH_METHODS = Set.of("client_secret_basic", "client_secret_post", "none");
  private static final Set<String> GRANTS = Set.of("authorization_code", "refresh_token");
  private static final List<String> EXTRA = List.of("client_uri", "logo_uri", "contacts", "software_id",
      "software_version", "tos_uri", "policy_uri", "jwks_uri");
  private final Store store;
  private final Stats stats;
  private final Profile profile;

  Registration(Store store, Stats stats, Profile profile) {
    this.store = store;
    this.stats = stats;
    this.profile = profile;
  }

  /** Thrown for RFC 7591 section 3.2.2 errors. */
  private static final class Invalid extends Exception {
    final String error;

    Invalid(String error, String description) {
      super(description, null, false, false);
      this.error = error;
    }
  }

  void register(HttpExchange ex) throws IOException {
    if (!ex.getRequestMethod().equals("POST")) {
      Http.message(ex, 405, "Method not allowed.", null);
      return;
    }
    try {
      OAuthApp app = parse(Http.body(ex), UUID.randomUUID().toString(), null, null);
      store.putApp(app);
      stats.registration();
      Http.json(ex, 201, describe(ex, app));
    } catch (Invalid e) {
      Http.oauthError(ex, 400, e.error, e.getMessage());
    }
  }

  /** {@code /oauth2/clients/{id}}: GET, PUT, DELETE with the registration access token. */
  void configure(HttpExchange ex, String clientId) throws IOException {
    OAuthApp app = store.app(clientId);
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    String bearer = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
    if (app == null || app.registrationAccessToken() == null || !Secrets.same(app.registrationAccessToken(), bearer)) {
      ex.getResponseHeaders().set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      Http.oauthError(ex, 401, "invalid_token", "The registration access token is invalid.");
      return;
    }
    switch (ex.getRequestMethod()) {
      case "GET" -> Http.json(ex, 200, describe(ex, app));
      case "DELETE" -> {
        store.deleteApp(clientId);
        ex.sendResponseHeaders(204, -1);
        ex.close();
      }
      case "PUT" -> {
        try {
          byte[] body = Http.body(ex);
          JsonNode n = Http.JSON.readTree(body);
          if (n != null && n.hasNonNull("client_id") && !n.get("client_id").asText().equals(clientId)) {
            throw new Invalid("invalid_client_metadata", "client_id does not match.");
          }
          OAuthApp updated = parse(body, clientId, app.clientSecret(), app);
          store.putApp(updated);
          Http.json(ex, 200, describe(ex, updated));
        } catch (Invalid e) {
          Http.oauthError(ex, 400, e.error, e.getMessage());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
          Http.oauthError(ex, 400, "invalid_client_metadata", "The body is not JSON.");
        }
      }
      default -> Http.message(ex, 405, "Method not allowed.", null);
    }
  }

  private OAuthApp parse(byte[] body, String clientId, String oldSecret, OAuthApp old) throws Invalid {
    JsonNode n;
    try {
      n = Http.JSON.readTree(body);
    } catch (IOException e) {
      throw new Invalid("invalid_client_metadata", "The body is not JSON.");
    }
    if (n == null || !n.isObject()) {
      throw new Invalid("invalid_client_metadata", "The body must be a JSON object.");
    }
    List<String> redirects = strings(n, "redirect_uris");
    if (redirects.isEmpty()) {
      throw new Invalid("invalid_redirect_uri", "redirect_uris is required.");
    }
    for (String r : redirects) {
      if (!RedirectUris.acceptable(r)) {
        throw new Invalid("invalid_redirect_uri", "Redirect URI not allowed: " + r);
      }
    }
    String method = n.hasNonNull("token_endpoint_auth_method") ? n.get("token_endpoint_auth_method").asText()
        : "client_secret_basic";
    if (!AUTH_METHODS.contains(method)) {
      throw new Invalid("invalid_client_metadata", "Unsupported token_endpoint_auth_method.");
    }
    List<String> grants = n.has("grant_types") ? strings(n, "grant_types")
        : List.of("authorization_code", "refresh_token");
    if (!GRANTS.containsAll(grants)) {
      throw new Invalid("invalid_client_metadata", "Unsupported grant_types.");
    }
    List<String> responses = n.has("response_types") ? strings(n, "response_types") : List.of("code");
    if (!List.of("code").containsAll(responses)) {
      throw new Invalid("invalid_client_metadata", "Unsupported response_types.");
    }
    List<String> scopes = Scopes.parse(n.hasNonNull("scope") ? n.get("scope").asText() : null);
    if (!Scopes.unknown(scopes).isEmpty()) {
      throw new Invalid("invalid_client_metadata", "Unknown scope: " + Scopes.unknown(scopes));
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    for (String k : EXTRA) {
      if (n.hasNonNull(k)) {
        extra.put(k, Http.JSON.convertValue(n.get(k), Object.class));
      }
    }
    String name = n.hasNonNull("client_name") ? n.get("client_name").asText() : "Dynamic client " + clientId;
    // Older servers accept "none" and echo it, but still issue a secret and require it at the
    // token endpoint: they have no public clients.
    String secret = method.equals("none") && profile.publicClients() ? null
        : oldSecret != null ? oldSecret : "coder_" + store.secrets().alnum(10) + "_" + store.secrets().alnum(40);
    return new OAuthApp(clientId, secret, name, redirects, grants, responses, method, scopes,
        old != null ? old.registrationAccessToken() : store.secrets().alnum(40),
        old != null ? old.issuedAt() : store.clock().instant(), extra);
  }

  private static List<String> strings(JsonNode n, String field) throws Invalid {
    JsonNode a = n.get(field);
    List<String> out = new ArrayList<>();
    if (a == null || a.isNull()) {
      return out;
    }
    if (!a.isArray()) {
      throw new Invalid("invalid_client_metadata", field + " must be an array.");
    }
    for (JsonNode e : a) {
      if (!e.isTextual()) {
        throw new Invalid("invalid_client_metadata", field + " must hold strings.");
      }
      out.add(e.asText());
    }
    return out;
  }

  static Map<String, Object> describe(HttpExchange ex, OAuthApp app) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("client_id", app.clientId());
    if (app.clientSecret() != null) {
      m.put("client_secret", app.clientSecret());
    }
    m.put("client_id_issued_at", app.issuedAt().getEpochSecond());
    m.put("client_secret_expires_at", 0);
    m.put("redirect_uris", app.redirectUris());
    m.put("client_name", app.name());
    m.put("grant_types", app.grantTypes());
    m.put("response_types", app.responseTypes());
    m.put("token_endpoint_auth_method", app.authMethod());
    m.put("scope", String.join(" ", app.scopeCeiling()));
    m.putAll(app.extraMetadata());
    m.put("registration_access_token", app.registrationAccessToken());
    m.put("registration_client_uri", Http.baseUrl(ex) + "/oauth2/clients/" + app.clientId());
    return m;
  }
}
