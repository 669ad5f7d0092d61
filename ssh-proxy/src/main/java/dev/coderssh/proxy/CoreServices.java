package dev.coderssh.proxy;

import dev.coderssh.core.api.CoderApi;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.http.HttpOptions;
import dev.coderssh.core.http.HttpTransport;
import dev.coderssh.core.token.AccessToken;
import dev.coderssh.core.token.AccessTokens;
import java.util.List;

/**
 * What the proxy and doctor need from core, built once by {@code Main}. Implementations must be
 * cheap to construct and create their HTTP machinery lazily: the fast path only calls
 * {@link #tokens()}, and a constructor that touched OkHttp would cost every ssh connection.
 */
public interface CoreServices {
    AccessTokens tokens();

    /** Deployments with a stored sign-in, so {@code --url} may be omitted when there is one. */
    List<DeploymentUrl> signedIn();

    HttpTransport transport(HttpOptions options);

    CoderApi api(DeploymentUrl deployment, HttpOptions options);

    /**
     * The browser sign-in for {@code --login browser}: only ONE runs per deployment across all
     * processes; the others wait for it, print the same URL on stderr and use its token.
     */
    AccessToken signInWithBrowser(DeploymentUrl deployment, HttpOptions options);
}
