package dev.coderssh.sandbox.state;

import java.time.Instant;
import java.util.List;

/** An issued authorization code, kept until it is exchanged or expires (10 minutes). */
public record AuthCode(String code, String clientId, String userId, String codeChallenge,
    String redirectUri, List<String> scopes, String resource, Instant expiresAt) {
  public AuthCode {
    scopes = List.copyOf(scopes);
  }

  @Override
  public String toString() {
    return "AuthCode[client=" + clientId + ", user=" + userId + "]";
  }
}
