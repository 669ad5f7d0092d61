package dev.coderssh.sandbox.oauth;

import com.sun.net.httpserver.HttpExchange;
import dev.coderssh.sandbox.Profile;
import dev.coderssh.sandbox.http.Http;
import dev.coderssh.sandbox.state.Scopes;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** RFC 8414 authorization server metadata and RFC 9728 protected resource metadata. */
final class Metadata {
  private Metadata() {
  }

  static void authorizationServer(HttpExchange ex, boolean dcr, Profile profile) throws IOException {
    String base = Http.baseUrl(ex);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("issuer", base);
    m.put("authorization_endpoint", base + "/oauth2/authorize");
    m.put("token_endpoint", base + "/oauth2/tokens");
    m.put("revocation_endpoint", base + "/oauth2/revoke");
    if (dcr) {
      m.put("registration_endpoint", base + "/oauth2/register");
    }
    m.put("response_types_supported", List.of("code"));
    m.put("grant_types_supported", List.of("authorization_code", "refresh_token"));
    m.put("code_challenge_methods_supported", List.of("S256"));
    m.put("scopes_supported", Scopes.catalogue());
    // Public clients exist only on the newest servers.
    m.put("token_endpoint_auth_methods_supported", profile.publicClients()
        ? List.of("client_secret_basic", "client_secret_post", "none")
        : List.of("client_secret_basic", "client_secret_post"));
    Http.json(ex, 200, m);
  }

  static void protectedResource(HttpExchange ex) throws IOException {
    String base = Http.baseUrl(ex);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("resource", base);
    m.put("authorization_servers", List.of(base));
    m.put("scopes_supported", Scopes.catalogue());
    m.put("bearer_methods_supported", List.of("header", "query"));
    Http.json(ex, 200, m);
  }
}
