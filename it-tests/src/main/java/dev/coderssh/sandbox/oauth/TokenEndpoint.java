package dev.coderssh.sandbox.oauth;

import com.sun.net.httpserver.HttpExchange;
import dev.coderssh.sandbox.SandboxOptions;
import dev.coderssh.sandbox.Stats;
import dev.coderssh.sandbox.faults.Fault;
import dev.coderssh.sandbox.faults.FaultKind;
import dev.coderssh.sandbox.faults.Faults;
import dev.coderssh.sandbox.http.Http;
import dev.coderssh.sandbox.state.AuthCode;
import dev.coderssh.sandbox.state.OAuthApp;
import dev.coderssh.sandbox.state.Outcome;
import dev.coderssh.sandbox.state.Scopes;
import dev.coderssh.sandbox.state.Secrets;
import dev.coderssh.sandbox.state.Store;
import dev.coderssh.sandbox.state.TokenPair;
import java.io.IOException;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code POST /oauth2/tokens}: RFC 6749 sections 4.1.3 and 6, with rotation and injectable faults. */
final class TokenEndpoint {
  private final Store store;
  private final Stats stats;
  private final Faults faults;
  private final SandboxOptions options;

  TokenEndpoint(Store store, Stats stats, Faults faults, SandboxOptions options) {
    this.store = store;
    this.stats = stats;
    this.faults = faults;
    this.options = options;
  }

  void handle(HttpExchange ex) throws IOException {
    if (!ex.getRequestMethod().equals("POST")) {
      Http.message(ex, 405, "Method not allowed.", null);
      return;
    }
    Map<String, String> form = Http.form(ex);
    String grant = form.get("grant_type");
    stats.tokenRequest(grant == null ? "" : grant);
    Fault fault = faults.next();
    if (fault != null && FaultResponses.answer(ex, fault, stats)) {
      return;
    }
    FaultKind strip = fault == null ? null : fault.kind();
    if (Http.query(ex).containsKey("client_secret")) {
      error(ex, 400, "invalid_request", "client_secret must not be sent in the query string.");
      return;
    }
    if (grant == null || grant.isEmpty()) {
      error(ex, 400, "invalid_request", "grant_type is required.");
      return;
    }
    if (!grant.equals("authorization_code") && !grant.equals("refresh_token")) {
      error(ex, 400, "unsupported_grant_type", "Unsupported grant_type.");
      return;
    }
    OAuthApp app = ClientAuth.authenticate(ex, form, store, options.profile());
    if (app == null) {
      stats.tokenError("invalid_client");
      return;
    }
    if (grant.equals("refresh_token") && (form.get("refresh_token") == null || form.get("refresh_token").isEmpty())) {
      error(ex, 400, "invalid_request", "refresh_token is required.");
      return;
    }
    Outcome outcome = grant.equals("authorization_code") ? exchange(form, app)
        : store.refresh(app.clientId(), form.get("refresh_token"), form.get("resource"), options.accessTtl(),
            options.refreshTtl());
    if (outcome instanceof Outcome.Refused r) {
      error(ex, 400, r.error(), r.description());
    } else {
      success(ex, ((Outcome.Minted) outcome).tokens(), strip);
    }
  }

  private Outcome exchange(Map<String, String> form, OAuthApp app) {
    String code = form.get("code");
    String verifier = form.get("code_verifier");
    if (code == null || code.isEmpty() || verifier == null || verifier.isEmpty()) {
      return new Outcome.Refused("invalid_request", "code and code_verifier are required.");
    }
    AuthCode c = store.takeCode(code, app.clientId());
    if (c == null) {
      return new Outcome.Refused("invalid_grant", "The authorization code is invalid or expired.");
    }
    if (!Secrets.same(c.codeChallenge(), Secrets.s256(verifier))) {
      return new Outcome.Refused("invalid_grant", "The code_verifier does not match the code_challenge.");
    }
    String redirect = form.get("redirect_uri");
    boolean redirectOk = c.redirectUri() != null ? c.redirectUri().equals(redirect)
        : redirect == null || RedirectUris.resolve(app.redirectUris(), redirect, options.profile()) instanceof
            RedirectUris.Match.Accepted;
    if (!redirectOk) {
      return new Outcome.Refused("invalid_grant", "redirect_uri does not match the authorization request.");
    }
    String resource = form.get("resource");
    if (c.resource() != null ? !c.resource().equals(resource) : resource != null && !Authorize.absolute(resource)) {
      return new Outcome.Refused("invalid_target", "resource does not match the authorization request.");
    }
    // tokens.go parses `scope` here and ignores it: the grant's scopes are the token's.
    return new Outcome.Minted(store.exchange(c, c.scopes(), options.accessTtl(), options.refreshTtl()));
  }

  private void success(HttpExchange ex, TokenPair t, FaultKind strip) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("access_token", t.accessKey().token());
    m.put("token_type", "Bearer");
    if (strip != FaultKind.MISSING_EXPIRES_IN) {
      m.put("expires_in", options.accessTtl().toSeconds());
    }
    m.put("expiry", DateTimeFormatter.ISO_INSTANT.format(t.accessKey().expiresAt()));
    if (strip != FaultKind.MISSING_REFRESH_TOKEN) {
      m.put("refresh_token", t.refresh().token());
    }
    if (options.profile().enforcesScopes()) {
      // Real 2.25.1 and 2.36.1 answer no scope at all (tokens.go never sets it): seen on the
      // real server. Their keys are recorded as coder:all (see ApiRoutes' key route).
      m.put("scope", String.join(" ", t.accessKey().scopes()));
    }
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.getResponseHeaders().set("Pragma", "no-cache");
    Http.json(ex, 200, m);
  }

  private void error(HttpExchange ex, int status, String error, String description) throws IOException {
    stats.tokenError(error);
    Http.oauthError(ex, status, error, description);
  }
}
