package dev.coderssh.sandbox;

import dev.coderssh.sandbox.faults.Fault;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * How a sandbox deployment behaves. Start from {@link #defaults()} and change what a test needs
 * with the {@code with*} methods.
 *
 * @param port 0 for an ephemeral port
 * @param sessionTtl lifetime of the session tokens /cli-auth generates
 * @param extraWorkspaces generated workspaces {@code ws-0001}.. owned by the demo user (they share one SSH server)
 * @param faults token-endpoint faults queued at start
 * @param profile which Coder generation to behave like
 * @param hostnamePrefix {@code /api/v2/deployment/ssh} hostname_prefix (real default {@code coder.})
 * @param hostnameSuffix {@code /api/v2/deployment/ssh} hostname_suffix (real default {@code coder}; empty: none)
 * @param usageInterval how often the stand-in {@code coder ssh} reports activity (the real CLI: a minute)
 */
public record SandboxOptions(int port, Duration accessTtl, Duration refreshTtl, Duration sessionTtl, boolean dcr,
    boolean provider, int extraWorkspaces, boolean rateLimit, Duration buildDelay, String username,
    String password, List<Fault> faults, Clock clock, Profile profile, String hostnamePrefix, String hostnameSuffix,
    Duration usageInterval) {

  /** What the real server reports; the stand-in CLI reports the same, as IDE plugins require. */
  public static final String VERSION = "v2.38.1";
  public static final String DEFAULT_USER = "demo";
  public static final String DEFAULT_PASSWORD = "sandbox-demo-password";

  public SandboxOptions {
    faults = List.copyOf(faults);
    if (port < 0 || port > 65535 || extraWorkspaces < 0) {
      throw new IllegalArgumentException("bad port or workspace count");
    }
    if (hostnamePrefix == null || hostnameSuffix == null || hostnameSuffix.startsWith(".")) {
      throw new IllegalArgumentException("hostname suffix without its leading dot, please (coder, not .coder)");
    }
    if (usageInterval.isNegative() || usageInterval.isZero()) {
      throw new IllegalArgumentException("the usage interval must be positive");
    }
  }

  public static SandboxOptions defaults() {
    return new SandboxOptions(0, Duration.ofHours(24), Duration.ofHours(720), Duration.ofHours(720), true, true, 0,
        true, Duration.ofSeconds(2), DEFAULT_USER, DEFAULT_PASSWORD, List.of(), Clock.systemUTC(), Profile.CURRENT,
        "coder.", "coder", Duration.ofMinutes(1));
  }


  public SandboxOptions withPort(int v) {
    return new SandboxOptions(v, accessTtl, refreshTtl, sessionTtl, dcr, provider, extraWorkspaces, rateLimit,
        buildDelay, username, password, faults, clock, profile, hostnamePrefix, hostnameSuffix, usageInterval);
  }

  public SandboxOptions withAccessTtl(Duration v) {
    return new SandboxOptions(port, v, refreshTtl, sessionTtl, dcr, provider, extraWorkspaces, rateLimit,
        buildDelay, username, password, faults, clock, profile, hostnamePrefix, hostnameSuffix, usageInterval);
  }

  public SandboxOptions withRefreshTtl(Duration v) {
    return new SandboxOptions(port, accessTtl, v, sessionTtl, dcr, provider, extraWorkspaces, rateLimit,
        buildDelay, username, password, faults, clock, profile, hostnamePrefix, hostnameSuffix, usageInterval);
  }

  public SandboxOptions withSessionTtl(Duration v) {
    return new SandboxOptions(port, accessTtl, refreshTtl, v, dcr, provider, extraWorkspaces, rateLimit,
        buildDelay, username, password, faults, clock, profile, hostnamePrefix, hostnameSuffix, usageInterval);
  }

  public SandboxOptions withDcr(boolean v) {
    return new SandboxOptions(port, accessTtl, refreshTtl, sessionTtl, v, provider, extraWorkspaces, rateLimit,
        buildDelay, username, password, faults, clock, profile, hostnamePrefix, hostnameSuffix, usageInterval);
  }

  public SandboxOptions withProvider(boolean v) {
    return new SandboxOptions(port, accessTtl, refreshTtl, sessionTtl, dcr, v, extraWorkspaces, rateLimit,
        buildDelay, username, password, faults, clock, profile, hostnamePrefix, hostnameSuffix, usageInterval);
  }

  public SandboxOptions withExtraWorkspaces(int v) {
    return new SandboxOptions(port, accessTtl, refreshTtl, sessionTtl, dcr, provider, v, rateLimit, buildDelay,
        username, password, faults, clock, profile, hostnamePrefix, hostnameSuffix, usageInterval);
  }

  public SandboxOptions withRateLimit(boolean v) {
    return new SandboxOptions(port, accessTtl, refreshTtl, sessionTtl, dcr, provider, extraWorkspaces, v,
        buildDelay, username, password, faults, clock, profile, hostnamePrefix, hostnameSuffix, usageInterval);
  }

  public SandboxOptions withBuildDelay(Duration v) {
    return new SandboxOptions(port, accessTtl, refreshTtl, sessionTtl, dcr, provider, extraWorkspaces,
        rateLimit, v, username, password, faults, clock, profile, hostnamePrefix, hostnameSuffix, usageInterval);
  }

  public SandboxOptions withFaults(List<Fault> v) {
    return new SandboxOptions(port, accessTtl, refreshTtl, sessionTtl, dcr, provider, extraWorkspaces,
        rateLimit, buildDelay, username, password, v, clock, profile, hostnamePrefix, hostnameSuffix,
        usageInterval);
  }

  public SandboxOptions withClock(Clock v) {
    return new SandboxOptions(port, accessTtl, refreshTtl, sessionTtl, dcr, provider, extraWorkspaces,
        rateLimit, buildDelay, username, password, faults, v, profile, hostnamePrefix, hostnameSuffix,
        usageInterval);
  }

  public SandboxOptions withProfile(Profile v) {
    return new SandboxOptions(port, accessTtl, refreshTtl, sessionTtl, dcr, provider, extraWorkspaces,
        rateLimit, buildDelay, username, password, faults, clock, v, hostnamePrefix, hostnameSuffix, usageInterval);
  }

  public SandboxOptions withHostnamePrefix(String v) {
    return new SandboxOptions(port, accessTtl, refreshTtl, sessionTtl, dcr, provider, extraWorkspaces,
        rateLimit, buildDelay, username, password, faults, clock, profile, v, hostnameSuffix, usageInterval);
  }

  public SandboxOptions withHostnameSuffix(String v) {
    return new SandboxOptions(port, accessTtl, refreshTtl, sessionTtl, dcr, provider, extraWorkspaces,
        rateLimit, buildDelay, username, password, faults, clock, profile, hostnamePrefix, v, usageInterval);
  }

  public SandboxOptions withUsageInterval(Duration v) {
    return new SandboxOptions(port, accessTtl, refreshTtl, sessionTtl, dcr, provider, extraWorkspaces,
        rateLimit, buildDelay, username, password, faults, clock, profile, hostnamePrefix, hostnameSuffix, v);
  }

  @Override
  public String toString() {
    return "SandboxOptions[profile=" + profile.label() + ", port=" + port + ", accessTtl=" + accessTtl
        + ", refreshTtl=" + refreshTtl + ", dcr=" + dcr + ", provider=" + provider + ", extraWorkspaces="
        + extraWorkspaces + ", rateLimit=" + rateLimit + ", buildDelay=" + buildDelay + ", hostname=" + hostnamePrefix
        + "*." + hostnameSuffix + ", usageInterval=" + usageInterval + ", user=" + username + "]";
  }
}
