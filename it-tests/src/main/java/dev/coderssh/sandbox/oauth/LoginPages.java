package dev.coderssh.sandbox.oauth;

import com.sun.net.httpserver.HttpExchange;
import dev.coderssh.sandbox.http.Http;
import dev.coderssh.sandbox.state.ApiKey;
import dev.coderssh.sandbox.state.Scopes;
import dev.coderssh.sandbox.state.Secrets;
import dev.coderssh.sandbox.state.Store;
import dev.coderssh.sandbox.state.User;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The dashboard's sign-in page and the "Generate a token" page at {@code /cli-auth}. */
final class LoginPages {
  private final Store store;
  private final Sessions sessions;
  private final Duration sessionTtl;

  LoginPages(Store store, Sessions sessions, Duration sessionTtl) {
    this.store = store;
    this.sessions = sessions;
    this.sessionTtl = sessionTtl;
  }

  void login(HttpExchange ex) throws IOException {
    if (ex.getRequestMethod().equals("GET")) {
      form(ex, 200, safeRedirect(Http.query(ex).get("redirect")), null);
      return;
    }
    if (!ex.getRequestMethod().equals("POST")) {
      Http.message(ex, 405, "Method not allowed.", null);
      return;
    }
    Map<String, String> f = Http.form(ex);
    String redirect = safeRedirect(f.get("redirect"));
    User u = store.user(f.getOrDefault("username", ""));
    if (u == null || !Secrets.same(u.password(), f.get("password"))) {
      form(ex, 401, redirect, "Incorrect username or password.");
      return;
    }
    String id = sessions.create(u.id());
    ex.getResponseHeaders().add("Set-Cookie", Sessions.COOKIE + "=" + id + "; Path=/; HttpOnly; SameSite=Lax");
    Http.redirect(ex, redirect);
  }

  void cliAuth(HttpExchange ex) throws IOException {
    Sessions.Session s = sessions.of(ex);
    User u = s == null ? null : store.userById(s.userId());
    if (u == null) {
      Http.redirect(ex, "/login?redirect=" + Http.enc("/cli-auth"));
      return;
    }
    ApiKey key = store.mintSession(u.id(), List.of(Scopes.ALL), sessionTtl);
    Http.html(ex, 200, "<!doctype html>\n<html><head><title>Session token</title></head><body>\n"
        + "<h1>Your session token</h1>\n<p>Copy this session token and paste it where you were asked:</p>\n"
        + "<pre><code id=\"session-token\">" + key.token() + "</code></pre>\n</body></html>\n");
  }

  /** Only same-site paths, so the login form cannot be used as an open redirector. */
  private static String safeRedirect(String r) {
    return r != null && r.startsWith("/") && !r.startsWith("//") && !r.contains("\\") ? r : "/";
  }

  private static void form(HttpExchange ex, int status, String redirect, String error) throws IOException {
    Http.html(ex, status, "<!doctype html>\n<html><head><title>Sign in to Coder</title></head><body>\n"
        + "<h1>Sign in to Coder</h1>\n" + (error == null ? "" : "<p class=\"error\">" + Http.esc(error) + "</p>\n")
        + "<form id=\"login\" method=\"POST\" action=\"/login\">\n"
        + "<input type=\"hidden\" name=\"redirect\" value=\"" + Http.esc(redirect) + "\">\n"
        + "<label>Username <input name=\"username\"></label>\n"
        + "<label>Password <input name=\"password\" type=\"password\"></label>\n"
        + "<button type=\"submit\">Sign in</button>\n</form>\n"
        + "<p><a id=\"generate-token\" href=\"/cli-auth\">Can't authenticate? Generate a token</a></p>\n"
        + "</body></html>\n");
  }
}
