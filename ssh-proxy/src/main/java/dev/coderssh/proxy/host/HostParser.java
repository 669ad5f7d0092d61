package dev.coderssh.proxy.host;

import dev.coderssh.core.CoderSshException;

/**
 * Parses the host ssh hands the ProxyCommand ({@code %h}) the way {@code coder ssh} does
 * (cli/ssh.go {@code findWorkspaceAndAgentByHostname}, {@code normalizeWorkspaceInput}): strip the
 * prefix ({@code coder.} by default) if the name starts with it, else a {@code .suffix}; then split
 * on {@code [/.]+|--} (a run of '/' and '.' is one separator). One part is {@code ws}; two are
 * {@code owner/ws} when the name held '/' or "--", else {@code ws.agent}; three are
 * {@code owner/ws.agent} whatever the separators ({@code owner--ws--agent}, {@code owner/ws--agent},
 * {@code owner.ws.agent}, ...). More parts, or an empty one, cannot name a workspace: refused.
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
        String[] parts = new String[3];
        int n = split(name, parts, host);
        boolean ownerFirst = name.indexOf('/') >= 0 || name.contains("--");
        String owner = n == 3 || n == 2 && ownerFirst ? parts[0] : null;
        String workspace = n == 1 || n == 2 && !ownerFirst ? parts[0] : parts[1];
        String agent = n == 3 ? parts[2] : n == 2 && !ownerFirst ? parts[1] : null;
        if (owner != null) {
            check(owner, "owner", host);
        }
        check(workspace, "workspace", host);
        if (agent != null) {
            check(agent, "agent", host);
        }
        return new HostName(owner, workspace, agent);
    }

    /**
     * Splits on {@code [/.]+|--} as Go's regexp.Split does (leftmost match first, so "a---b" gives
     * "a" and "-b") into at most three parts, and returns how many there were.
     */
    private static int split(String s, String[] parts, String host) {
        int n = 0;
        int start = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int end;
            if (c == '/' || c == '.') {
                end = i + 1;
                while (end < s.length() && (s.charAt(end) == '/' || s.charAt(end) == '.')) {
                    end++;
                }
            } else if (c == '-' && i + 1 < s.length() && s.charAt(i + 1) == '-') {
                end = i + 2;
            } else {
                i++;
                continue;
            }
            if (n == 2) {
                throw bad(host);
            }
            parts[n++] = s.substring(start, i);
            start = end;
            i = end;
        }
        parts[n++] = s.substring(start);
        return n;
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
                + "\": expected ws, ws.agent, owner/ws, owner--ws, owner--ws--agent or owner/ws.agent");
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
