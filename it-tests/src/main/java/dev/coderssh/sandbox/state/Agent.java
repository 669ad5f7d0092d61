package dev.coderssh.sandbox.state;

/** A workspace agent; status and port change as builds run. */
public final class Agent {
  private final String id;
  private final String name;
  private final Workspace workspace;
  private volatile String status = "disconnected";
  private volatile String lifecycle = "off";
  private volatile int sshPort;

  Agent(String id, String name, Workspace workspace) {
    this.id = id;
    this.name = name;
    this.workspace = workspace;
  }

  public String id() {
    return id;
  }

  public String name() {
    return name;
  }

  public Workspace workspace() {
    return workspace;
  }

  public String status() {
    return status;
  }

  public String lifecycle() {
    return lifecycle;
  }

  /** 0 while the agent is not reachable. */
  public int sshPort() {
    return sshPort;
  }

  public void up(int port) {
    sshPort = port;
    status = "connected";
    lifecycle = "ready";
  }

  public void connecting() {
    status = "connecting";
    lifecycle = "starting";
  }

  public void down() {
    sshPort = 0;
    status = "disconnected";
    lifecycle = "off";
  }
}
