package dev.coderssh.config;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.api.DeploymentSsh;
import java.util.List;

/**
 * The host name forms a block is written for, decided as {@code coder config-ssh} decides them:
 * the prefix from {@code --host-prefix} (or {@code --ssh-host-prefix}), else the deployment's
 * {@code hostname_prefix}, else {@code coder.}; the suffix from {@code --hostname-suffix} (empty
 * turns it off), else the deployment's {@code hostname_suffix} (real default {@code coder},
 * {@code CODER_WORKSPACE_HOSTNAME_SUFFIX}). {@code suffix} null means the prefix form only.
 */
record HostForms(String prefix, String suffix) {
    static HostForms of(GenerationOptions gen, boolean prefixFixed, DeploymentSsh deployment, List<String> warnings) {
        String prefix = gen.hostPrefix();
        String fromServer = deployment == null ? null : deployment.hostnamePrefix();
        if (!prefixFixed && fromServer != null && !fromServer.isEmpty()) {
            if (Names.validPrefix(fromServer)) {
                prefix = fromServer;
            } else {
                warnings.add("ignoring the deployment's hostname_prefix " + Names.describe(fromServer)
                        + ": not a valid host prefix");
            }
        }
        String suffix = gen.hostnameSuffix();
        if (suffix != null) {
            if (!suffix.isEmpty() && !Names.validSuffix(suffix)) {
                // Recorded in the user's file, so it may have been edited into anything.
                throw CoderSshException.failure("the block's recorded hostname-suffix " + Names.describe(suffix)
                        + " is not valid; run without --use-previous-options");
            }
            return new HostForms(prefix, suffix.isEmpty() ? null : suffix);
        }
        String serverSuffix = deployment == null ? null : deployment.hostnameSuffix();
        if (serverSuffix == null || serverSuffix.isEmpty()) {
            return new HostForms(prefix, null);
        }
        if (!Names.validSuffix(serverSuffix)) {
            warnings.add("ignoring the deployment's hostname_suffix " + Names.describe(serverSuffix)
                    + ": not a valid host name suffix");
            return new HostForms(prefix, null);
        }
        return new HostForms(prefix, serverSuffix);
    }

    /** The names a host of each wildcard looks like, for the shadowing check. */
    String prefixExample() {
        return prefix + "workspace";
    }

    String suffixExample() {
        return "workspace." + suffix;
    }
}
