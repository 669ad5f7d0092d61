package dev.coderssh.proxy;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.api.CoderApi;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.http.HttpOptions;
import dev.coderssh.core.http.HttpTransport;
import dev.coderssh.core.token.AccessToken;
import dev.coderssh.core.token.AccessTokens;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A hand-written stand-in for core: a token store holding at most one token, an API and a
 * transport the test provides. No lambdas: {@code FastPathMain} runs it under the class budget.
 */
public final class FakeCore implements CoreServices, AccessTokens {
    public String token;
    public Set<String> scopes = Set.of("coder:workspaces.access", "workspace:start");
    public CoderApi api;
    public HttpTransport transport;
    /** What a browser sign-in yields; null: the sign-in fails as signed out. */
    public String signInToken;
    public int signIns;
    public final List<DeploymentUrl> signedIn = new ArrayList<>();
    public int freshCalls;
    /** When set, the token is re-read from this file (absent = signed out) on every call. */
    public java.nio.file.Path tokenFile;
    /** When set, what the store holds by the time the proxy checks again (a peer refreshed meanwhile). */
    public String storedAfterHandOver;
    /** What {@link AccessToken#reusableUntil} says; null as for a keyring-held token. */
    public Instant reusableUntil = Instant.ofEpochSecond(3_999_999_000L);

    public FakeCore(String token) {
        this.token = token;
    }

    @Override
    public AccessTokens tokens() {
        return this;
    }

    @Override
    public synchronized AccessToken fresh(DeploymentUrl deployment) {
        freshCalls++;
        if (tokenFile != null) {
            try {
                token = java.nio.file.Files.exists(tokenFile) ? java.nio.file.Files.readString(tokenFile) : null;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        if (token == null) {
            throw CoderSshException.authRequired("not signed in to " + deployment, deployment.toString());
        }
        return new AccessToken(token, Instant.ofEpochSecond(4_000_000_000L), scopes, "alice", reusableUntil);
    }

    @Override
    public AccessToken refreshAfterRejection(DeploymentUrl deployment, AccessToken rejected) {
        return fresh(deployment);
    }

    @Override
    public synchronized boolean stillStored(DeploymentUrl deployment, AccessToken handed) {
        String stored = storedAfterHandOver != null ? storedAfterHandOver : token;
        return stored != null && stored.equals(handed.value());
    }

    @Override
    public List<DeploymentUrl> signedIn() {
        return signedIn;
    }

    @Override
    public HttpTransport transport(HttpOptions options) {
        return transport;
    }

    @Override
    public CoderApi api(DeploymentUrl deployment, HttpOptions options) {
        return api;
    }

    @Override
    public synchronized AccessToken signInWithBrowser(DeploymentUrl deployment, HttpOptions options) {
        signIns++;
        if (signInToken != null) {
            token = signInToken;
        }
        return fresh(deployment);
    }
}
