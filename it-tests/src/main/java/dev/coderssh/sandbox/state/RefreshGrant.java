package dev.coderssh.sandbox.state;

import java.time.Instant;
import java.util.List;

/** A refresh token {@code coder_<prefix>_<secret>}, bound to one API key, one app and one user. */
public record RefreshGrant(String prefix, String secret, String clientId, String userId, String apiKeyId,
    List<String> scopes, String resource, Instant expiresAt) {
  public RefreshGrant {
    scopes = List.copyOf(scopes);
  }

  public String token() {
    return "coder_" + prefix + "_" + secret;
  }

  public RefreshGrant withExpiry(Instant when) {
    return new RefreshGrant(prefix, secret, clientId, userId, apiKeyId, scopes, resource, when);
  }

  @Override
  public String toString() {
    return "RefreshGrant[" + prefix + ", client=" + clientId + "]";
  }
}
