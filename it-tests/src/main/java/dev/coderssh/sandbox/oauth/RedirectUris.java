package dev.coderssh.sandbox.oauth;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** Redirect URI rules: exact match, except that loopback http URIs match on any port (RFC 8252 7.3). */
final class RedirectUris {
  private RedirectUris() {
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

  /** The URI to redirect to, or null when the request's redirect_uri is not registered. */
  static String resolve(List<String> registered, String requested) {
    if (requested == null || requested.isEmpty()) {
      return registered.isEmpty() ? null : registered.get(0);
    }
    for (String r : registered) {
      if (matches(r, requested)) {
        return requested;
      }
    }
    return null;
  }

  private static String emptyToSlash(String p) {
    return p == null || p.isEmpty() ? "/" : p;
  }
}
