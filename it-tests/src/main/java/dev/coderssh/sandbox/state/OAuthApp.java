package dev.coderssh.sandbox.state;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An OAuth2 provider app: created by an admin (confidential) or through RFC 7591 registration.
 * {@code scopeCeiling} empty means no ceiling.
 */
public record OAuthApp(
    String clientId,
    String clientSecret,
    String name,
    List<String> redirectUris,
    List<String> grantTypes,
    List<String> responseTypes,
    String authMethod,
    List<String> scopeCeiling,
    String registrationAccessToken,
    Instant issuedAt,
    Map<String, Object> extraMetadata) {

  public OAuthApp {
    redirectUris = List.copyOf(redirectUris);
    grantTypes = List.copyOf(grantTypes);
    responseTypes = List.copyOf(responseTypes);
    scopeCeiling = List.copyOf(scopeCeiling);
    extraMetadata = Map.copyOf(extraMetadata);
  }

  public boolean isPublic() {
    return "none".equals(authMethod);
  }

  @Override
  public String toString() {
    return "OAuthApp[" + clientId + ", " + name + ", " + authMethod + "]";
  }
}
