package dev.coderssh.core.login;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.deployment.DeploymentUrl;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@code coder-ssh login} was asked to do. {@code scope} null: the default request
 * ({@link dev.coderssh.core.scope.ScopeCatalog#request}, limited to what the server lists).
 * {@code interactive}: stdin is a terminal, so a pasted session token is accepted while the
 * browser flow waits. {@code redirectUri}: an admin-created app's one callback URL, or null.
 */
public record LoginOptions(DeploymentUrl url, String scope, String clientId, Path clientSecretFile, boolean noBrowser,
                           Duration timeout, boolean tokenStdin, boolean interactive, String redirectUri) {
    public LoginOptions {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        if ((clientId == null) != (clientSecretFile == null)) {
            throw CoderSshException.usage("--client-id and --client-secret-file go together");
        }
        if (redirectUri != null) {
            checkLoopback(redirectUri);
        }
    }

    /** Default scopes, any loopback port. */
    public LoginOptions(DeploymentUrl url, String scope, String clientId, Path clientSecretFile, boolean noBrowser,
                        Duration timeout, boolean tokenStdin, boolean interactive) {
        this(url, scope, clientId, clientSecretFile, noBrowser, timeout, tokenStdin, interactive, null);
    }

    /** {@code --callback-port N}: the URI an admin registers for it. */
    public static String callbackOnPort(String port) {
        try {
            int p = Integer.parseInt(port.strip());
            if (p < 1 || p > 65535) {
                throw CoderSshException.usage("--callback-port must be 1-65535");
            }
            return "http://127.0.0.1:" + p + "/callback";
        } catch (NumberFormatException e) {
            throw CoderSshException.usage("--callback-port: not a port number: " + port);
        }
    }

    /** The port of a checked redirect URI. */
    static int port(String redirectUri) {
        return URI.create(redirectUri).getPort();
    }

    /** The path of a checked redirect URI. */
    static String path(String redirectUri) {
        return URI.create(redirectUri).getRawPath();
    }

    /** RFC 8252 section 7.3: plain http to the loopback IP literal, with the port the app registered. */
    private static void checkLoopback(String uri) {
        try {
            URI u = new URI(uri);
            if (!"http".equals(u.getScheme()) || !"127.0.0.1".equals(u.getHost()) || u.getPort() < 1
                    || u.getRawPath() == null || !u.getRawPath().startsWith("/") || u.getRawQuery() != null
                    || u.getRawFragment() != null) {
                throw CoderSshException.usage("--redirect-uri must be http://127.0.0.1:PORT/PATH (a loopback callback"
                        + " with its port), not " + uri);
            }
        } catch (URISyntaxException e) {
            throw CoderSshException.usage("--redirect-uri: not a URI: " + uri);
        }
    }
}
