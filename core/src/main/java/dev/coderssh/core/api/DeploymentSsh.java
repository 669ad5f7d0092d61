package dev.coderssh.core.api;

import java.util.Map;

/** {@code GET /api/v2/deployment/ssh}: the deployment's host name prefix/suffix and ssh options. */
public record DeploymentSsh(String hostnamePrefix, String hostnameSuffix, Map<String, String> sshConfigOptions) {
    public DeploymentSsh {
        sshConfigOptions = Map.copyOf(sshConfigOptions);
    }
}
