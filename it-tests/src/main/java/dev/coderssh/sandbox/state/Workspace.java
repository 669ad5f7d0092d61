package dev.coderssh.sandbox.state;

import java.util.ArrayList;
import java.util.List;

/** A workspace with its agents and latest build; {@code sharedServer} agents share one SSH server. */
public final class Workspace {
  private final String id;
  private final String name;
  private final User owner;
  private final String template;
  private final boolean sharedServer;
  private final List<Agent> agents = new ArrayList<>();
  private volatile Build latestBuild;
  private volatile boolean outdated;
  private volatile boolean dormant;
  private volatile java.time.Instant lastUsedAt;

  Workspace(String id, String name, User owner, String template, boolean sharedServer) {
    this.id = id;
    this.name = name;
    this.owner = owner;
    this.template = template;
    this.sharedServer = sharedServer;
  }

  public String id() {
    return id;
  }

  public String name() {
    return name;
  }

  public User owner() {
    return owner;
  }

  public String template() {
    return template;
  }

  public boolean sharedServer() {
    return sharedServer;
  }

  public List<Agent> agents() {
    return List.copyOf(agents);
  }

  void addAgent(Agent agent) {
    agents.add(agent);
  }

  public Build latestBuild() {
    return latestBuild;
  }

  public void latestBuild(Build build) {
    latestBuild = build;
  }

  /** Built from an older template version than the template's active one. */
  public boolean outdated() {
    return outdated;
  }

  public void outdated(boolean v) {
    outdated = v;
  }

  /**
   * Templates named {@code strict} require the active version: a start on an older one is refused
   * with 403 (coderd's {@code require_active_version}), as the real CLI's retry path expects.
   */
  public boolean requiresActiveVersion() {
    return template.equals("strict");
  }

  public boolean dormant() {
    return dormant;
  }

  public void dormant(boolean v) {
    dormant = v;
  }

  /** Set by the activity report ({@code TrackUsage}); null until the first report. */
  public java.time.Instant lastUsedAt() {
    return lastUsedAt;
  }

  public void lastUsedAt(java.time.Instant v) {
    lastUsedAt = v;
  }

  public boolean running() {
    Build b = latestBuild;
    return "start".equals(b.transition()) && "running".equals(b.status());
  }
}
