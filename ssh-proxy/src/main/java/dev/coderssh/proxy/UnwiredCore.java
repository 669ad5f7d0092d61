package dev.coderssh.proxy;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.api.CoderApi;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.http.HttpOptions;
import dev.coderssh.core.http.HttpTransport;
import dev.coderssh.core.token.AccessToken;
import dev.coderssh.core.token.AccessTokens;
import java.util.List;

/**
 * Stands in for core's implementations until they are merged: every sign-in looks missing (exit 3
 * with core's one-line message) and the network is unavailable. Replaced in {@code Main} by the
 * real wiring; nothing else refers to it.
 */
public final class UnwiredCore implements CoreServices, AccessTokens {

    @Override
    public AccessTokens tokens() {
        return this;
    }

    @Override
    public AccessToken fresh(DeploymentUrl deployment) {
        throw CoderSshException.authRequired("not signed in to " + deployment, deployment.toString());
    }

    @Override
    public AccessToken refreshAfterRejection(DeploymentUrl deployment, AccessToken rejected) {
        return fresh(deployment);
    }

    @Override
    public List<DeploymentUrl> signedIn() {
        return List.of();
    }

    @Override
    public HttpTransport transport(HttpOptions options) {
        throw unavailable();
    }

    @Override
    public CoderApi api(DeploymentUrl deployment, HttpOptions options) {
        throw unavailable();
    }

    @Override
    public BrowserSignIn browserSignIn(DeploymentUrl deployment, HttpOptions options) {
        throw unavailable();
    }

    private static CoderSshException unavailable() {
        return CoderSshException.failure("this build has no HTTP client yet (core not merged)");
    }
}
