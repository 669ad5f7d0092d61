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

  public boolean running() {
    Build b = latestBuild;
    return "start".equals(b.transition()) && "running".equals(b.status());
  }
}
