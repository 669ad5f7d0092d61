package dev.coderssh.sandbox.oauth;

import com.sun.net.httpserver.HttpExchange;
import dev.coderssh.sandbox.Profile;
import dev.coderssh.sandbox.http.Http;
import dev.coderssh.sandbox.state.OAuthApp;
import dev.coderssh.sandbox.state.Secrets;
import dev.coderssh.sandbox.state.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * RFC 6749 section 2.3: client_secret_basic, client_secret_post, or none for public clients on the
 * newest servers; older ones require the secret from every client.
 */
final class ClientAuth {
  private ClientAuth() {
  }

  /** The authenticated app, or null after writing the 401 invalid_client answer. */
  static OAuthApp authenticate(HttpExchange ex, Map<String, String> form, Store store, Profile profile)
      throws IOException {
    String id = form.get("client_id");
    String secret = form.get("client_secret");
    String header = ex.getRequestHeaders().getFirst("Authorization");
    if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return fail(ex, "Malformed Basic authorization header.");
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        return fail(ex, "Malformed Basic authorization header.");
      }
      String basicId = Http.decode(decoded.substring(0, colon));
      if (id != null && !id.equals(basicId)) {
        return fail(ex, "client_id in the body does not match the Basic credentials.");
      }
      id = basicId;
      secret = Http.decode(decoded.substring(colon + 1));
    }
    OAuthApp app = store.app(id);
    if (app == null) {
      return fail(ex, "Unknown client.");
    }
    boolean needsSecret = !app.isPublic() || !profile.publicClients();
    if (needsSecret && (app.clientSecret() == null || !Secrets.same(app.clientSecret(), secret))) {
      return fail(ex, "Client authentication failed.");
    }
    return app;
  }

  private static OAuthApp fail(HttpExchange ex, String description) throws IOException {
    ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"coder\"");
    Http.oauthError(ex, 401, "invalid_client", description);
    return null;
  }
}
