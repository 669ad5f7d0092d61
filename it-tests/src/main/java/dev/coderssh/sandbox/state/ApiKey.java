package dev.coderssh.sandbox.state;

import java.time.Instant;
import java.util.List;

/**
 * A Coder API key {@code ID-SECRET}; OAuth access tokens are API keys too.
 * {@code clientId} is null for session tokens minted at /cli-auth.
 */
public record ApiKey(String id, String secret, String userId, List<String> scopes, Instant expiresAt,
    String kind, String clientId) {
  public ApiKey {
    scopes = List.copyOf(scopes);
  }

  public String token() {
    return id + "-" + secret;
  }

  public ApiKey withExpiry(Instant when) {
    return new ApiKey(id, secret, userId, scopes, when, kind, clientId);
  }

  @Override
  public String toString() {
    return "ApiKey[" + id + ", " + kind + ", user=" + userId + "]";
  }
}
