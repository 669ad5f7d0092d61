package dev.coderssh.sandbox;

import java.util.Locale;

/**
 * Which generation of the real Coder server the sandbox behaves like. The differences are the
 * ones a client must survive (coder-oauth2-provider.md, "Corrections").
 */
public enum Profile {
  /** Newest Coder: provider behind its own switch, scopes enforced, loopback port ignored, public clients. */
  CURRENT,
  /**
   * Coder before 2.37, as the real 2.25.1 and 2.36.1 behave (seen): provider behind the oauth2
   * experiment, every OAuth key recorded as coder:all and no scope in the token answer, port
   * compared, secrets required.
   */
  LEGACY;

  /** API key scopes narrow what a token can do (2.37+, not run here); before that a token can do what its user can. */
  public boolean enforcesScopes() {
    return this == CURRENT;
  }

  /** {@code codersdk.RedirectURIMatches} (any loopback port) rather than {@code httpapi.RedirectURL}. */
  public boolean ignoresLoopbackPort() {
    return this == CURRENT;
  }

  /** Whether {@code token_endpoint_auth_method=none} clients exist. */
  public boolean publicClients() {
    return this == CURRENT;
  }

  /** The permission a start build is checked against. */
  public String startPermission() {
    return this == CURRENT ? "workspace:start" : "workspace:update";
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Profile parse(String v) {
    return switch (v) {
      case "current" -> CURRENT;
      case "legacy" -> LEGACY;
      default -> throw new IllegalArgumentException("--profile takes current or legacy");
    };
  }
}
