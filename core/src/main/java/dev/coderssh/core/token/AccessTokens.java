package dev.coderssh.core.token;

import dev.coderssh.core.deployment.DeploymentUrl;

/**
 * Hands out fresh access tokens. Refreshes only when less than min(5 minutes, 10% of the lifetime)
 * remains, single-flight across processes (lock file, re-read after taking it), persisting the new
 * pair before using it.
 *
 * <p>The fast path (a fresh token on disk) must load no HTTP client and no JSON object mapper: the
 * ProxyCommand pays for every class it loads on every ssh connection.
 */
public interface AccessTokens {
    /**
     * A token valid for at least the margin.
     *
     * @throws dev.coderssh.core.CoderSshException AUTH_REQUIRED when not signed in, expired or revoked
     */
    AccessToken fresh(DeploymentUrl deployment);

    /** Like {@link #fresh} but refreshes even if the stored token looks fresh (after a 401). */
    AccessToken refreshAfterRejection(DeploymentUrl deployment, AccessToken rejected);

    /**
     * Whether the store still holds {@code token} as the sign-in's current access token: a read,
     * never a refresh (a refresh would delete a token just handed to a CLI).
     */
    boolean stillStored(DeploymentUrl deployment, AccessToken token);
}
