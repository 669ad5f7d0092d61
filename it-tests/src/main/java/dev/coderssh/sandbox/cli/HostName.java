package dev.coderssh.sandbox.cli;

import java.util.regex.Pattern;

/**
 * The host argument of {@code coder ssh}, parsed as cli/ssh.go's {@code normalizeWorkspaceInput}:
 * strip the prefix (or {@code .suffix}), split on {@code [/.]+|--}; one part is {@code ws}; two
 * are {@code ws.agent} when the input has a '.', else {@code owner/ws}; three are
 * {@code owner, ws, agent}, except that dots alone are Coder Connect's {@code agent.ws.owner}.
 *
 * @param owner null for "me"
 * @param agent null when not named
 */
record HostName(String owner, String workspace, String agent) {
  private static final Pattern SEPARATORS = Pattern.compile("[/.]+|--");

  static HostName parse(String host, String prefix, String suffix) {
    String h = host;
    if (prefix != null && !prefix.isEmpty() && h.startsWith(prefix)) {
      h = h.substring(prefix.length());
    } else if (suffix != null && !suffix.isEmpty()) {
      String dotted = suffix.startsWith(".") ? suffix : "." + suffix;
      if (h.endsWith(dotted)) {
        h = h.substring(0, h.length() - dotted.length());
      }
    }
    String[] parts = SEPARATORS.split(h, -1);
    for (String part : parts) {
      if (part.isEmpty()) {
        throw new IllegalArgumentException("invalid workspace name: " + host);
      }
    }
    return switch (parts.length) {
      case 1 -> new HostName(null, parts[0], null);
      case 2 -> h.contains(".") ? new HostName(null, parts[0], parts[1]) : new HostName(parts[0], parts[1], null);
      case 3 -> h.contains("/") || h.contains("--") ? new HostName(parts[0], parts[1], parts[2])
          : new HostName(parts[2], parts[1], parts[0]);
      default -> throw new IllegalArgumentException("invalid workspace name: " + host);
    };
  }
}
