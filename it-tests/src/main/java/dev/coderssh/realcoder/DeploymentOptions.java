package dev.coderssh.realcoder;

import java.time.Duration;
import java.util.Map;

/**
 * How a real deployment is started. Defaults: the OAuth2 provider on, rate limits off (tests
 * sign in many times a minute), Coder's own token lifetimes, the sandbox-like seed.
 *
 * @param sessionDuration {@code CODER_SESSION_DURATION}, the OAuth access token's lifetime; null = Coder's 24 h
 * @param refreshLifetime {@code CODER_DEFAULT_OAUTH_REFRESH_LIFETIME}; null = Coder's 720 h
 */
public record DeploymentOptions(boolean provider, boolean rateLimits, Duration sessionDuration,
    Duration refreshLifetime, boolean seedWorkspaces, Map<String, String> extraEnv) {

  public DeploymentOptions {
    extraEnv = Map.copyOf(extraEnv);
  }

  public static DeploymentOptions defaults() {
    return new DeploymentOptions(true, false, null, null, true, Map.of());
  }

  public DeploymentOptions withProvider(boolean on) {
    return new DeploymentOptions(on, rateLimits, sessionDuration, refreshLifetime, seedWorkspaces, extraEnv);
  }

  public DeploymentOptions withRateLimits(boolean on) {
    return new DeploymentOptions(provider, on, sessionDuration, refreshLifetime, seedWorkspaces, extraEnv);
  }

  public DeploymentOptions withSessionDuration(Duration d) {
    return new DeploymentOptions(provider, rateLimits, d, refreshLifetime, seedWorkspaces, extraEnv);
  }

  public DeploymentOptions withRefreshLifetime(Duration d) {
    return new DeploymentOptions(provider, rateLimits, sessionDuration, d, seedWorkspaces, extraEnv);
  }

  /** Without workspaces and agents: for tests of sign-in alone, which start faster. */
  public DeploymentOptions withoutWorkspaces() {
    return new DeploymentOptions(provider, rateLimits, sessionDuration, refreshLifetime, false, extraEnv);
  }

  public DeploymentOptions withEnv(Map<String, String> env) {
    return new DeploymentOptions(provider, rateLimits, sessionDuration, refreshLifetime, seedWorkspaces, env);
  }
}
