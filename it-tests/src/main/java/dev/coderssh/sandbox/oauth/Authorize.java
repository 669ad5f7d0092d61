package dev.coderssh.sandbox.oauth;

import com.sun.net.httpserver.HttpExchange;
import dev.coderssh.sandbox.Profile;
import dev.coderssh.sandbox.Stats;
import dev.coderssh.sandbox.http.Http;
import dev.coderssh.sandbox.state.OAuthApp;
import dev.coderssh.sandbox.state.Scopes;
import dev.coderssh.sandbox.state.Secrets;
import dev.coderssh.sandbox.state.Store;
import dev.coderssh.sandbox.state.User;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code /oauth2/authorize}: GET shows the consent page (after sign-in), POST is the Allow click.
 * RFC 6749 section 4.1.1 with RFC 7636 PKCE (S256 only) and RFC 8707 resource.
 */
final class Authorize {
  private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
  private final Store store;
  private final Stats stats;
  private final Sessions sessions;
  private final Profile profile;

  Authorize(Store store, Stats stats, Sessions sessions, Profile profile) {
    this.store = store;
    this.stats = stats;
    this.sessions = sessions;
    this.profile = profile;
  }

  /** A validated request: what the consent page shows and what the code will carry. */
  private record Request(OAuthApp app, String redirectUri, String state, String challenge, List<String> scopes,
      String resource) {
  }

  void handle(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    if (!method.equals("GET") && !method.equals("POST")) {
      Http.message(ex, 405, "Method not allowed.", null);
      return;
    }
    if (method.equals("GET")) {
      stats.authorizeView();
    }
    Map<String, String> q = Http.query(ex);
    OAuthApp app = store.app(q.get("client_id"));
    if (app == null) {
      page(ex, 400, "Invalid client_id", "The application is not registered with this deployment.");
      return;
    }
    RedirectUris.Match match = RedirectUris.resolve(app.redirectUris(), q.get("redirect_uri"), profile);
    if (match instanceof RedirectUris.Match.Rejected r) {
      page(ex, 400, r.title(), r.text());
      return;
    }
    String redirect = ((RedirectUris.Match.Accepted) match).uri();
    String state = q.get("state");
    Request req = validate(ex, q, app, redirect, state);
    if (req == null) {
      return;
    }
    Sessions.Session session = sessions.of(ex);
    User user = session == null ? null : store.userById(session.userId());
    if (user == null) {
      Http.redirect(ex, "/login?redirect=" + Http.enc(ex.getRequestURI().getRawPath() + "?"
          + ex.getRequestURI().getRawQuery()));
      return;
    }
    if (method.equals("GET")) {
      consent(ex, req, user, session);
      return;
    }
    Map<String, String> form = Http.form(ex);
    if (!Secrets.same(session.csrf(), form.get("csrf_token"))) {
      page(ex, 403, "Invalid CSRF token", "Reload the authorization page and try again.");
      return;
    }
    String code = store.issueCode(app.clientId(), user.id(), req.challenge(), q.get("redirect_uri"), req.scopes(),
        req.resource());
    Http.redirect(ex, callback(redirect, "code", code, state));
  }

  private Request validate(HttpExchange ex, Map<String, String> q, OAuthApp app, String redirect, String state)
      throws IOException {
    if (!"code".equals(q.get("response_type"))) {
      return fail(ex, redirect, "unsupported_response_type", "response_type must be code", state);
    }
    String challenge = q.get("code_challenge");
    if (challenge == null || !CHALLENGE.matcher(challenge).matches()) {
      return fail(ex, redirect, "invalid_request", "code_challenge is required (PKCE)", state);
    }
    String challengeMethod = q.getOrDefault("code_challenge_method", "S256");
    if (!challengeMethod.equals("S256")) {
      return fail(ex, redirect, "invalid_request", "code_challenge_method must be S256", state);
    }
    List<String> scopes = Scopes.parse(q.get("scope"));
    if (!Scopes.unknown(scopes).isEmpty()) {
      return fail(ex, redirect, "invalid_scope", "unknown scope " + Scopes.unknown(scopes), state);
    }
    if (scopes.isEmpty()) {
      scopes = app.scopeCeiling().isEmpty() ? List.of(Scopes.ALL) : app.scopeCeiling();
    } else if (!app.scopeCeiling().isEmpty() && !Scopes.within(scopes, app.scopeCeiling())) {
      return fail(ex, redirect, "invalid_scope", "scope exceeds what the application may ask for", state);
    }
    String resource = q.get("resource");
    if (resource != null && !absolute(resource)) {
      return fail(ex, redirect, "invalid_target", "resource must be an absolute URI", state);
    }
    return new Request(app, redirect, state, challenge, scopes, resource);
  }

  static boolean absolute(String uri) {
    try {
      URI u = new URI(uri);
      return u.isAbsolute() && u.getFragment() == null;
    } catch (Exception e) {
      return false;
    }
  }

  private static Request fail(HttpExchange ex, String redirect, String error, String description, String state)
      throws IOException {
    String url = callback(redirect, "error", error, state);
    Http.redirect(ex, url + "&error_description=" + Http.enc(description));
    return null;
  }

  static String callback(String redirect, String key, String value, String state) {
    StringBuilder b = new StringBuilder(redirect).append(redirect.contains("?") ? '&' : '?');
    b.append(key).append('=').append(Http.enc(value));
    if (state != null) {
      b.append("&state=").append(Http.enc(state));
    }
    return b.toString();
  }

  private void consent(HttpExchange ex, Request req, User user, Sessions.Session session) throws IOException {
    StringBuilder scopes = new StringBuilder();
    for (String s : req.scopes()) {
      scopes.append("<li>").append(Http.esc(s)).append("</li>\n");
    }
    String action = ex.getRequestURI().getRawPath() + "?" + ex.getRequestURI().getRawQuery();
    String cancel = callback(req.redirectUri(), "error", "access_denied", req.state())
        + "&error_description=" + Http.enc("The user denied the request.");
    Http.html(ex, 200, "<!doctype html>\n<html><head><title>Authorize " + Http.esc(req.app().name())
        + "</title></head><body>\n<h1>Authorize " + Http.esc(req.app().name()) + "</h1>\n<p>Signed in as <b>"
        + Http.esc(user.username()) + "</b>. <b>" + Http.esc(req.app().name())
        + "</b> asks to act on your behalf with these scopes:</p>\n<ul id=\"scopes\">\n" + scopes + "</ul>\n"
        + "<form id=\"allow\" method=\"POST\" action=\"" + Http.esc(action) + "\">\n"
        + "<input type=\"hidden\" name=\"csrf_token\" value=\"" + Http.esc(session.csrf()) + "\">\n"
        + "<button type=\"submit\">Allow</button>\n</form>\n"
        + "<a id=\"cancel\" href=\"" + Http.esc(cancel) + "\">Cancel</a>\n</body></html>\n");
  }

  static void page(HttpExchange ex, int status, String title, String text) throws IOException {
    Http.html(ex, status, "<!doctype html>\n<html><head><title>" + Http.esc(title) + "</title></head><body><h1>"
        + Http.esc(title) + "</h1><p>" + Http.esc(text) + "</p></body></html>\n");
  }
}
