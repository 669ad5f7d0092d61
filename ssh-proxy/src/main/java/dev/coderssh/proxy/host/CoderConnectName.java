package dev.coderssh.proxy.host;

import dev.coderssh.core.CoderSshException;

/**
 * Coder Connect (Coder Desktop) host names: {@code agent.ws.owner.coder} or {@code ws.owner.coder}.
 * Such a name resolves over Coder Connect's own DNS, so the direct transport can dial it on port 22.
 */
public final class CoderConnectName {
    public static final String SUFFIX = ".coder";

    private CoderConnectName() {
    }

    public static boolean matches(String host) {
        return host != null && host.endsWith(SUFFIX) && host.length() > SUFFIX.length()
                && !host.startsWith("coder.");
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
