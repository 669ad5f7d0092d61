package dev.coderssh.sandbox.oauth;

import com.sun.net.httpserver.HttpExchange;
import dev.coderssh.sandbox.Profile;
import dev.coderssh.sandbox.Stats;
import dev.coderssh.sandbox.http.Http;
import dev.coderssh.sandbox.state.OAuthApp;
import dev.coderssh.sandbox.state.Store;
import java.io.IOException;
import java.util.Map;
import java.util.regex.Pattern;

/** {@code POST /oauth2/revoke}, RFC 7009: 200 even for unknown tokens, 400 for malformed ones. */
final class Revocation {
  private static final Pattern REFRESH = Pattern.compile("coder_[A-Za-z0-9]+_[A-Za-z0-9]+");
  private static final Pattern API_KEY = Pattern.compile("[A-Za-z0-9]{10}-[A-Za-z0-9]{22}");
  private final Store store;
  private final Stats stats;
  private final Profile profile;

  Revocation(Store store, Stats stats, Profile profile) {
    this.store = store;
    this.stats = stats;
    this.profile = profile;
  }

  void handle(HttpExchange ex) throws IOException {
    if (!ex.getRequestMethod().equals("POST")) {
      Http.message(ex, 405, "Method not allowed.", null);
      return;
    }
    if (Http.query(ex).containsKey("client_secret")) {
      Http.oauthError(ex, 400, "invalid_request", "client_secret must not be sent in the query string.");
      return;
    }
    Map<String, String> form = Http.form(ex);
    OAuthApp app = ClientAuth.authenticate(ex, form, store, profile);
    if (app == null) {
      return;
    }
    String token = form.get("token");
    if (token == null || token.isEmpty()) {
      Http.oauthError(ex, 400, "invalid_request", "token is required.");
      return;
    }
    if (token.startsWith("coder_")) {
      if (!REFRESH.matcher(token).matches()) {
        Http.oauthError(ex, 400, "invalid_request", "Malformed refresh token.");
        return;
      }
      store.revokeRefresh(app.clientId(), token);
    } else {
      if (!API_KEY.matcher(token).matches()) {
        Http.oauthError(ex, 400, "invalid_request", "Malformed access token.");
        return;
      }
      store.revokeAccess(app.clientId(), token);
    }
    stats.revocation();
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.sendResponseHeaders(200, -1);
    ex.close();
  }
}
