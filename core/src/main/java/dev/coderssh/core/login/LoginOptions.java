package dev.coderssh.core.login;

import dev.coderssh.core.deployment.DeploymentUrl;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@code coder-ssh login} was asked to do. {@code interactive}: stdin is a terminal, so a
 * pasted session token is accepted while the browser flow waits.
 */
public record LoginOptions(DeploymentUrl url, String scope, String clientId, Path clientSecretFile, boolean noBrowser,
                           Duration timeout, boolean tokenStdin, boolean interactive) {
    public LoginOptions {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        if ((clientId == null) != (clientSecretFile == null)) {
            throw dev.coderssh.core.CoderSshException.usage("--client-id and --client-secret-file go together");
        }
    }
}
