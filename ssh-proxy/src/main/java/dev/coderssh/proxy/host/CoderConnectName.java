package dev.coderssh.proxy.host;

import dev.coderssh.core.CoderSshException;

/**
 * Coder Connect (Coder Desktop) host names: {@code agent.ws.owner.coder} or {@code ws.owner.coder}
 * (the owner may be {@code me}). Such a name resolves over Coder Connect's own DNS, so the direct
 * transport can dial it on port 22.
 *
 * <p>The deployment's {@code hostname_suffix} is also {@code coder} by default, and
 * {@code coder ssh --hostname-suffix coder} reads the same labels the other way round
 * ({@code a.b.coder} is workspace a, agent b; {@code a.b.c.coder} is owner a, workspace b, agent c).
 * Which reading wins, in this order, follows what the real tools do:
 * <ol>
 * <li>A name that starts with the prefix is a {@code coder ssh} name: the CLI strips the prefix
 *     before it looks at a suffix, so {@code coder.ws.coder} is workspace ws, agent coder.</li>
 * <li>With {@code --hostname-suffix} given, every {@code *.suffix} name is a {@code coder ssh} name.
 *     That is the ProxyCommand {@code coder config-ssh} writes under
 *     {@code Match host *.coder !exec "coder connect exists %h"}: ssh runs it only for names Coder
 *     Connect does not resolve, and the CLI then parses them with the suffix rules.</li>
 * <li>Otherwise a {@code .coder} name with two or three labels before it is a Coder Connect name;
 *     {@code ws.coder} never is (Coder Connect names always carry the owner).</li>
 * </ol>
 */
public final class CoderConnectName {
    public static final String SUFFIX = ".coder";

    private CoderConnectName() {
    }

    /** Whether {@code host} is a Coder Connect name for a proxy given this prefix and suffix (null = none). */
    public static boolean matches(String host, String prefix, String hostnameSuffix) {
        if (host == null || !host.endsWith(SUFFIX) || hostnameSuffix != null && !hostnameSuffix.isEmpty()
                || prefix != null && !prefix.isEmpty() && host.startsWith(prefix)) {
            return false;
        }
        int dots = 0;
        for (int i = 0; i < host.length() - SUFFIX.length(); i++) {
            if (host.charAt(i) == '.') {
                dots++;
            }
        }
        return dots == 1 || dots == 2;
    }

    public static HostName parse(String host) {
        String[] labels = host.substring(0, host.length() - SUFFIX.length()).split("\\.", -1);
        HostParser names = new HostParser(null, null);
        if (labels.length == 3) {
            return names.parse(labels[2] + "/" + labels[1] + "." + labels[0]);
        }
        if (labels.length == 2) {
            return names.parse(labels[1] + "/" + labels[0]);
        }
        throw CoderSshException.usage("not a Coder Connect name (agent.workspace.owner.coder): \""
                + HostParser.printable(host) + "\"");
    }
}
