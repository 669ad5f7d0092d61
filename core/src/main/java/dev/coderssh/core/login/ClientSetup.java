package dev.coderssh.core.login;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.CoreServices;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.oauth.OAuthMetadata;
import dev.coderssh.core.store.ClientRegistration;
import dev.coderssh.core.token.Scopes;
import java.io.PrintStream;
import java.nio.file.Path;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Picks the OAuth client for a login: an admin-created one (from the command line, or stored by
 * an earlier login), this installation's stored registration (checked with RFC 7592 read,
 * re-registered once when the server no longer knows it, or when it cannot grant the scopes asked
 * for), or a new RFC 7591 registration.
 */
final class ClientSetup {
    private final CoreServices core;
    private final DeploymentUrl url;
    private final OAuthMetadata metadata;
    private final PrintStream err;

    ClientSetup(CoreServices core, DeploymentUrl url, OAuthMetadata metadata, PrintStream err) {
        this.core = core;
        this.url = url;
        this.metadata = metadata;
        this.err = err;
    }

    /**
     * The admin-created client to use, or null for this installation's own. Its one callback URL
     * ({@code --callback-port}/{@code --redirect-uri}) is stored with it, so later logins, the
     * proxy's {@code --login browser} among them, come back to the same place.
     */
    ClientRegistration manual(LoginOptions o, String scope) {
        if (o.clientId() != null) {
            String secret = readSecretFile(o.clientSecretFile());
            String method = metadata.tokenEndpointAuthMethods().contains("client_secret_basic")
                    || !metadata.tokenEndpointAuthMethods().contains("client_secret_post")
                    ? "client_secret_basic" : "client_secret_post";
            ClientRegistration r = new ClientRegistration(url.toString(), ClientRegistration.MANUAL, o.clientId(), secret,
                    method, null, null, scope, o.redirectUri());
            core.store().saveClient(url, r);
            return r;
        }
        ClientRegistration stored = core.store().loadClient(url);
        if (stored == null || !ClientRegistration.MANUAL.equals(stored.source())) {
            if (o.redirectUri() != null) {
                throw CoderSshException.usage("--callback-port and --redirect-uri are for an admin-created OAuth2 app:"
                        + " pass them with --client-id and --client-secret-file");
            }
            return null;
        }
        if (o.redirectUri() != null && !o.redirectUri().equals(stored.redirectUri())) {
            stored = stored.withRedirectUri(o.redirectUri());
            core.store().saveClient(url, stored);
        }
        return stored;
    }

    /** This installation's own client, registered with {@code redirectUri} if a new one is needed. */
    ClientRegistration own(String scope, String redirectUri) {
        ClientRegistration stored = core.store().loadClient(url);
        if (stored != null) {
            if (!Scopes.parse(stored.scope()).containsAll(Scopes.parse(scope))) {
                err.println("Registering a new OAuth client: the stored one cannot grant " + scope);
                try {
                    core.oauth().deleteRegistration(stored); // do not leave the old app behind
                } catch (CoderSshException e) {
                    err.println("(could not delete the old client registration: " + e.getMessage() + ")");
                }
            } else if (core.oauth().registrationKnown(stored)) {
                return stored;
            } else {
                err.println("The server no longer knows this installation's OAuth client; registering a new one.");
            }
            core.store().deleteClient(url);
        }
        if (metadata.registrationEndpoint() == null) {
            throw CoderSshException.failure("dynamic client registration is off at " + url + ": ask an admin to run"
                    + " `coder oauth2-provider dcr enable`, or create an OAuth2 app and pass --client-id and"
                    + " --client-secret-file");
        }
        ClientRegistration r = core.oauth().register(url, metadata.registrationEndpoint(), clientName(), scope,
                metadata.preferredAuthMethod(), redirectUri);
        core.store().saveClient(url, r);
        return r;
    }

    /**
     * Points this installation's registration at {@code redirectUri} (RFC 7592 update); null when
     * the server cannot update it.
     */
    ClientRegistration pointTo(ClientRegistration client, String redirectUri) {
        ClientRegistration updated = core.oauth().updateRedirect(client, clientName(), redirectUri);
        if (updated != null) {
            core.store().saveClient(url, updated);
        }
        return updated;
    }

    private static String clientName() {
        try {
            return "coder-ssh on " + InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "coder-ssh on unknown host";
        }
    }

    /** Far more than any client secret (Coder's are under 100 bytes). */
    static final int MAX_SECRET_BYTES = 64 * 1024;

    static String readSecretFile(Path file) {
        // Bounded, and a pipe still works (--client-secret-file <(pass show coder)).
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            byte[] data = in.readNBytes(MAX_SECRET_BYTES + 1);
            if (data.length > MAX_SECRET_BYTES) {
                throw CoderSshException.usage("--client-secret-file " + file + " is larger than "
                        + (MAX_SECRET_BYTES >> 10) + " KiB: not a client secret");
            }
            return new String(data, java.nio.charset.StandardCharsets.UTF_8).strip();
        } catch (java.io.IOException e) {
            throw CoderSshException.usage("cannot read --client-secret-file " + file
                    + (e instanceof java.nio.file.NoSuchFileException ? ": no such file" : ""));
        }
    }
}
