package dev.coderssh.sandbox.api;

import com.sun.net.httpserver.HttpExchange;
import dev.coderssh.sandbox.Profile;
import dev.coderssh.sandbox.Stats;
import dev.coderssh.sandbox.http.Http;
import dev.coderssh.sandbox.state.Scopes;
import dev.coderssh.sandbox.state.User;
import dev.coderssh.sandbox.state.Workspace;
import java.io.IOException;

/**
 * coderd's authorization as a client meets it: RBAC (own resources, or everything for an owner)
 * narrowed by the API key's scopes where the profile enforces them. Every refusal is counted in
 * {@code /sandbox/stats} under the route's template.
 */
final class Access {
  private final Profile profile;
  private final Stats stats;

  Access(Profile profile, Stats stats) {
    this.profile = profile;
    this.stats = stats;
  }

  Profile profile() {
    return profile;
  }

  /** The key's scopes allow {@code permission}; servers before 2.35 ignore scopes entirely. */
  boolean scope(ApiAuth.Principal who, String permission) {
    return !profile.enforcesScopes() || Scopes.allows(who.key().scopes(), permission);
  }

  /** RBAC plus workspace:read; another user's workspace also needs the owner's org membership,
   * which no OAuth scope grants (coder/coder#30423), so only coder:all reaches it on a scoped server. */
  boolean readable(ApiAuth.Principal who, Workspace ws) {
    if (ws == null || !ws.owner().id().equals(who.user().id()) && !admin(who.user())) {
      return false;
    }
    boolean foreign = !ws.owner().id().equals(who.user().id());
    return scope(who, "workspace:read") && (!foreign || !profile.enforcesScopes()
        || who.key().scopes().contains(Scopes.ALL) || who.key().scopes().contains("all"));
  }

  static boolean admin(User u) {
    return u.roles().contains("owner");
  }

  /** coderd hides what the caller may not read: 404, as for a resource that does not exist. */
  void hidden(HttpExchange ex, String template) throws IOException {
    stats.denied(ex.getRequestMethod(), template);
    notFound(ex);
  }

  void forbidden(HttpExchange ex, String template, String permission) throws IOException {
    stats.denied(ex.getRequestMethod(), template);
    Http.message(ex, 403, "Forbidden.", "The API key's scopes do not allow " + permission + ".");
  }

  static void notFound(HttpExchange ex) throws IOException {
    Http.message(ex, 404, "Resource not found or you do not have access to this resource", null);
  }
}
