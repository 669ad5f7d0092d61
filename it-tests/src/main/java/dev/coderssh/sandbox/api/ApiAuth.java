package dev.coderssh.sandbox.api;

import com.sun.net.httpserver.HttpExchange;
import dev.coderssh.sandbox.http.Http;
import dev.coderssh.sandbox.state.ApiKey;
import dev.coderssh.sandbox.state.Store;
import dev.coderssh.sandbox.state.User;
import java.io.IOException;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.regex.Pattern;

/** coderd's API key middleware: where the key is read from, and its 401 answers. */
final class ApiAuth {
  static final String SIGNED_OUT = "You are signed out or your session has expired. Please sign in again to continue.";
  private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9]{10}-[A-Za-z0-9]{22}");

  record Principal(ApiKey key, User user) {
  }

  private ApiAuth() {
  }

  /** In coderd's order: cookie, query, Coder-Session-Token, Bearer, access_token query. */
  static String token(HttpExchange ex) {
    String t = Http.cookie(ex, "coder_session_token");
    Map<String, String> q = Http.query(ex);
    if (empty(t)) {
      t = q.get("coder_session_token");
    }
    if (empty(t)) {
      t = ex.getRequestHeaders().getFirst("Coder-Session-Token");
    }
    if (empty(t)) {
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
        t = auth.substring(7).trim();
      }
    }
    if (empty(t)) {
      t = q.get("access_token");
    }
    return empty(t) ? null : t;
  }

  /** The caller, or null once the 401 has been written. */
  static Principal authenticate(HttpExchange ex, Store store) throws IOException {
    String token = token(ex);
    if (token == null) {
      Http.message(ex, 401, SIGNED_OUT,
          "Cookie \"coder_session_token\" or query parameter must be provided.");
      return null;
    }
    if (!FORMAT.matcher(token).matches()) {
      Http.message(ex, 401, SIGNED_OUT, "Invalid API key format.");
      return null;
    }
    ApiKey key = store.findKey(token);
    if (key == null) {
      Http.message(ex, 401, SIGNED_OUT, "API key is invalid.");
      return null;
    }
    if (!key.expiresAt().isAfter(store.clock().instant())) {
      Http.message(ex, 401, SIGNED_OUT,
          "API key expired at \"" + DateTimeFormatter.ISO_INSTANT.format(key.expiresAt()) + "\".");
      return null;
    }
    User user = store.userById(key.userId());
    if (user == null) {
      Http.message(ex, 401, SIGNED_OUT, "API key is invalid.");
      return null;
    }
    return new Principal(key, user);
  }

  private static boolean empty(String s) {
    return s == null || s.isEmpty();
  }
}
