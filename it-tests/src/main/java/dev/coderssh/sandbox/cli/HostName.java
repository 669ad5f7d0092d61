package dev.coderssh.sandbox.cli;

/**
 * The host argument of {@code coder ssh}, parsed as cli/ssh.go does: strip the prefix (or
 * {@code .suffix}), then {@code ws | ws.agent | owner/ws | owner--ws | owner--ws--agent}.
 *
 * @param owner null for "me"
 * @param agent null when not named
 */
record HostName(String owner, String workspace, String agent) {
  static HostName parse(String host, String prefix, String suffix) {
    String h = host;
    if (prefix != null && !prefix.isEmpty() && h.startsWith(prefix)) {
      h = h.substring(prefix.length());
    }
    if (suffix != null && !suffix.isEmpty()) {
      String dotted = suffix.startsWith(".") ? suffix : "." + suffix;
      if (h.endsWith(dotted)) {
        h = h.substring(0, h.length() - dotted.length());
      }
    }
    String owner = null;
    String agent = null;
    if (h.contains("--")) {
      String[] p = h.split("--", -1);
      if (p.length == 2) {
        owner = p[0];
        h = p[1];
      } else if (p.length == 3) {
        owner = p[0];
        h = p[1];
        agent = p[2];
      } else {
        throw new IllegalArgumentException("invalid workspace name: " + host);
      }
    } else if (h.contains("/")) {
      String[] p = h.split("/", -1);
      if (p.length != 2) {
        throw new IllegalArgumentException("invalid workspace name: " + host);
      }
      owner = p[0];
      h = p[1];
    }
    if (agent == null && h.contains(".")) {
      String[] p = h.split("\\.", -1);
      if (p.length != 2) {
        throw new IllegalArgumentException("invalid workspace name: " + host);
      }
      h = p[0];
      agent = p[1];
    }
    if (h.isEmpty() || owner != null && owner.isEmpty() || agent != null && agent.isEmpty()) {
      throw new IllegalArgumentException("invalid workspace name: " + host);
    }
    return new HostName(owner, h, agent);
  }
}
