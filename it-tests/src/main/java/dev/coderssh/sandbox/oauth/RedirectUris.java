package dev.coderssh.sandbox.oauth;

import dev.coderssh.sandbox.Profile;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Redirect URI rules per profile. Newest ({@code codersdk.RedirectURIMatches}): each registered URI
 * matched exactly, except that a loopback http URI matches on any port (RFC 8252 7.3). Older
 * ({@code httpapi.RedirectURL} against the app's one callback URL, the first registered): host
 * INCLUDING the port must be equal and the path must start with the registered path.
 */
final class RedirectUris {
  private RedirectUris() {
  }

  /** The outcome of checking an authorize request's redirect_uri. */
  sealed interface Match {
    /** Redirect here. */
    record Accepted(String uri) implements Match {
    }

    /** A plain 400 page, no redirect. */
    record Rejected(String title, String text) implements Match {
    }
  }

  static boolean loopbackHost(String host) {
    return host != null && (host.equals("127.0.0.1") || host.equalsIgnoreCase("localhost") || host.equals("[::1]"));
  }

  /** A redirect URI a client may register: absolute, no fragment, http only for loopback. */
  static boolean acceptable(String raw) {
    try {
      URI u = new URI(raw);
      if (!u.isAbsolute() || u.getFragment() != null || u.getHost() == null && u.getScheme().startsWith("http")) {
        return false;
      }
      String scheme = u.getScheme().toLowerCase(Locale.ROOT);
      if (scheme.equals("http")) {
        return loopbackHost(u.getHost());
      }
      return !scheme.equals("javascript") && !scheme.equals("data");
    } catch (Exception e) {
      return false;
    }
  }

  static boolean matches(String registered, String requested) {
    if (registered.equals(requested)) {
      return true;
    }
    try {
      URI r = new URI(registered);
      URI q = new URI(requested);
      return "http".equalsIgnoreCase(r.getScheme()) && "http".equalsIgnoreCase(q.getScheme())
          && loopbackHost(r.getHost()) && r.getHost().equalsIgnoreCase(q.getHost())
          && Objects.equals(emptyToSlash(r.getRawPath()), emptyToSlash(q.getRawPath()))
          && Objects.equals(r.getRawQuery(), q.getRawQuery()) && q.getFragment() == null;
    } catch (Exception e) {
      return false;
    }
  }

  static Match resolve(List<String> registered, String requested, Profile profile) {
    if (registered.isEmpty()) {
      return new Match.Rejected("Invalid redirect_uri", "The application has no redirect URI.");
    }
    if (requested == null || requested.isEmpty()) {
      return new Match.Accepted(registered.get(0));
    }
    if (!profile.ignoresLoopbackPort()) {
      return subsetOf(registered.get(0), requested);
    }
    for (String r : registered) {
      if (matches(r, requested)) {
        return new Match.Accepted(requested);
      }
    }
    return new Match.Rejected("Invalid redirect_uri", "The redirect URI is not registered for this application.");
  }

  /** httpapi.RedirectURL: "a sub-directory but not a sub-domain" of the callback URL, port included. */
  private static Match subsetOf(String base, String requested) {
    try {
      URI b = new URI(base);
      URI q = new URI(requested);
      String path = q.getRawPath() == null ? "" : q.getRawPath();
      String basePath = b.getRawPath() == null ? "" : b.getRawPath();
      if (Objects.equals(b.getRawAuthority(), q.getRawAuthority()) && path.startsWith(basePath)) {
        return new Match.Accepted(requested);
      }
    } catch (Exception e) {
      return new Match.Rejected("Invalid query params", "Query param \"redirect_uri\" must be a valid url.");
    }
    return new Match.Rejected("Invalid query params",
        "Query param \"redirect_uri\" must be a subset of " + base);
  }

  private static String emptyToSlash(String p) {
    return p == null || p.isEmpty() ? "/" : p;
  }
}
