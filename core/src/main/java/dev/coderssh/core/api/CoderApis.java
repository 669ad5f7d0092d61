package dev.coderssh.core.api;

import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.http.HttpTransport;
import dev.coderssh.core.token.AccessTokens;

/** Creates {@link CoderApi} clients. */
public final class CoderApis {
    private CoderApis() {
    }

    public static CoderApi create(DeploymentUrl url, HttpTransport http, AccessTokens tokens) {
        return new HttpCoderApi(url, http, tokens);
    }
}
