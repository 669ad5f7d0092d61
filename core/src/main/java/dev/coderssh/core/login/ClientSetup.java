package dev.coderssh.core.login;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.CoreServices;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.oauth.OAuthMetadata;
import dev.coderssh.core.store.ClientRegistration;
import dev.coderssh.core.token.Scopes;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Picks the OAuth client for a login: an admin-created one from the command line, this
 * installation's stored registration (checked with RFC 7592 read, re-registered once when the
 * server no longer knows it, or when it cannot grant the scopes asked for), or a new RFC 7591
 * registration.
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

    ClientRegistration resolve(LoginOptions o) {
        if (o.clientId() != null) {
            String secret = LoginFlow.readSecretFile(o.clientSecretFile());
            String method = metadata.tokenEndpointAuthMethods().contains("client_secret_basic") ? "client_secret_basic"
                    : "client_secret_post";
            ClientRegistration r = new ClientRegistration(url.toString(), ClientRegistration.MANUAL, o.clientId(), secret,
                    method, null, null, o.scope());
            core.store().saveClient(url, r);
            return r;
        }
        ClientRegistration stored = core.store().loadClient(url);
        if (stored != null) {
            if (ClientRegistration.MANUAL.equals(stored.source())) {
                return stored;
            }
            if (!Scopes.parse(stored.scope()).containsAll(Scopes.parse(o.scope()))) {
                err.println("Registering a new OAuth client: the stored one cannot grant " + o.scope());
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
        ClientRegistration r = core.oauth().register(url, metadata.registrationEndpoint(), "coder-ssh on " + hostname(),
                o.scope(), metadata.preferredAuthMethod());
        core.store().saveClient(url, r);
        return r;
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown host";
        }
    }
}
