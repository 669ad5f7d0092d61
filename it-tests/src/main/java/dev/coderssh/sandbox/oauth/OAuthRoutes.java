package dev.coderssh.sandbox.oauth;

import com.sun.net.httpserver.HttpExchange;
import dev.coderssh.sandbox.Profile;
import dev.coderssh.sandbox.SandboxOptions;
import dev.coderssh.sandbox.Stats;
import dev.coderssh.sandbox.faults.Faults;
import dev.coderssh.sandbox.http.Http;
import dev.coderssh.sandbox.state.Store;
import java.io.IOException;

/**
 * The OAuth2 provider's routes plus the dashboard pages it relies on (sign-in, /cli-auth).
 * With the provider off every OAuth route, the well-known documents included, answers as the
 * profile's server does: 404 "Route not found." (newest, the routes are not mounted) or 403 from
 * {@code RequireExperimentWithDevBypass(oauth2)} (older); the dashboard pages stay.
 */
public final class OAuthRoutes {
  private final SandboxOptions options;
  private final Registration registration;
  private final Authorize authorize;
  private final TokenEndpoint tokens;
  private final Revocation revocation;
  private final LoginPages login;

  public OAuthRoutes(Store store, Stats stats, Faults faults, SandboxOptions options) {
    this.options = options;
    Sessions sessions = new Sessions(store.secrets());
    this.registration = new Registration(store, stats, options.profile());
    this.authorize = new Authorize(store, stats, sessions, options.profile());
    this.tokens = new TokenEndpoint(store, stats, faults, options);
    this.revocation = new Revocation(store, stats, options.profile());
    this.login = new LoginPages(store, sessions, options.sessionTtl());
  }

  /** True when the path was one of ours and has been answered. */
  public boolean handle(HttpExchange ex, String path) throws IOException {
    if (path.equals("/login")) {
      login.login(ex);
      return true;
    }
    if (path.equals("/cli-auth")) {
      login.cliAuth(ex);
      return true;
    }
    boolean oauth = path.startsWith("/oauth2/") || path.startsWith("/.well-known/oauth-");
    if (!oauth) {
      return false;
    }
    if (!options.provider()) {
      if (options.profile() == Profile.LEGACY) {
        Http.message(ex, 403, "OAuth2 functionality requires enabling the 'oauth2' experiment.", null);
      } else {
        Http.notFound(ex);
      }
      return true;
    }
    switch (path) {
      case "/.well-known/oauth-authorization-server" ->
          Metadata.authorizationServer(ex, options.dcr(), options.profile());
      case "/.well-known/oauth-protected-resource" -> Metadata.protectedResource(ex);
      case "/oauth2/authorize" -> authorize.handle(ex);
      case "/oauth2/tokens" -> tokens.handle(ex);
      case "/oauth2/revoke" -> revocation.handle(ex);
      case "/oauth2/register" -> {
        if (options.dcr()) {
          registration.register(ex);
        } else {
          Http.notFound(ex);
        }
      }
      default -> {
        if (path.startsWith("/oauth2/clients/") && options.dcr()) {
          registration.configure(ex, path.substring("/oauth2/clients/".length()));
        } else {
          Http.notFound(ex);
        }
      }
    }
    return true;
  }
}
