package dev.coderssh.proxy.host;

import dev.coderssh.core.CoderSshException;

/**
 * Parses the host ssh hands the ProxyCommand ({@code %h}) the way {@code coder ssh} does: strip the
 * prefix ({@code coder.} by default) or a {@code .suffix}, then {@code ws}, {@code ws.agent},
 * {@code owner--ws}, {@code owner--ws--agent}, {@code owner/ws} or {@code owner/ws.agent}.
 *
 * <p>Hand-written character checks rather than regular expressions: this runs on every ssh
 * connection and java.util.regex costs a few dozen classes. A name from ssh is hostile input (it
 * reaches argv, logs and URLs), so every part is validated and only {@link CoderSshException}
 * escapes.
 */
public final class HostParser {
    static final int MAX_NAME = 64;
    private final String prefix;
    private final String suffix;

    /** {@code prefix} like {@code coder.} and {@code suffix} like {@code coder} (no dot); either may be null. */
    public HostParser(String prefix, String suffix) {
        this.prefix = prefix == null || prefix.isEmpty() ? null : prefix;
        this.suffix = suffix == null || suffix.isEmpty() ? null : (suffix.startsWith(".") ? suffix : "." + suffix);
    }

    public HostName parse(String host) {
        if (host == null || host.isEmpty()) {
            throw CoderSshException.usage("no host given");
        }
        if (host.length() > 255) {
            throw CoderSshException.usage("host name too long");
        }
        String name = host;
        if (prefix != null && name.startsWith(prefix)) {
            name = name.substring(prefix.length());
        } else if (suffix != null && name.endsWith(suffix)) {
            name = name.substring(0, name.length() - suffix.length());
        }
        String owner = null;
        String rest = name;
        int slash = name.indexOf('/');
        if (slash >= 0) {
            owner = name.substring(0, slash);
            rest = name.substring(slash + 1);
            check(owner, "owner", host);
        }
        String workspace = rest;
        String agent = null;
        int dot = rest.indexOf('.');
        if (dot >= 0) {
            workspace = rest.substring(0, dot);
            agent = rest.substring(dot + 1);
        }
        int dashes = workspace.indexOf("--");
        if (dashes >= 0) {
            if (owner != null || agent != null && workspace.indexOf("--", dashes + 2) >= 0) {
                throw bad(host);
            }
            String[] parts = splitDoubleDash(workspace, host);
            owner = parts[0];
            workspace = parts[1];
            if (parts[2] != null) {
                if (agent != null) {
                    throw bad(host);
                }
                agent = parts[2];
            }
            check(owner, "owner", host);
        }
        check(workspace, "workspace", host);
        if (agent != null) {
            check(agent, "agent", host);
        }
        return new HostName(owner, workspace, agent);
    }

    private static String[] splitDoubleDash(String s, String host) {
        int first = s.indexOf("--");
        int second = s.indexOf("--", first + 2);
        if (second < 0) {
            return new String[] {s.substring(0, first), s.substring(first + 2), null};
        }
        if (s.indexOf("--", second + 2) >= 0) {
            throw bad(host);
        }
        return new String[] {s.substring(0, first), s.substring(first + 2, second), s.substring(second + 2)};
    }

    /** Coder names: letters, digits, single inner hyphens (agents also underscores). */
    private static void check(String part, String what, String host) {
        int n = part.length();
        if (n == 0 || n > MAX_NAME || part.charAt(0) == '-' || part.charAt(n - 1) == '-') {
            throw CoderSshException.usage("invalid " + what + " name in host \"" + printable(host) + "\"");
        }
        for (int i = 0; i < n; i++) {
            char c = part.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '_' && what.equals("agent");
            if (!ok) {
                throw CoderSshException.usage("invalid " + what + " name in host \"" + printable(host) + "\"");
            }
        }
    }

    private static CoderSshException bad(String host) {
        return CoderSshException.usage("cannot parse host \"" + printable(host)
                + "\": expected ws, ws.agent, owner--ws, owner--ws--agent or owner/ws.agent");
    }

    /** Hostile names end up in a terminal: show only printable ASCII, and not too much of it. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        int n = Math.min(s.length(), 80);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f && c != '"' ? c : '?');
        }
        if (s.length() > n) {
            sb.append("...");
        }
        return sb.toString();
    }
}
