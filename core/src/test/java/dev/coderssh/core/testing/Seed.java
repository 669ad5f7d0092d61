package dev.coderssh.core.testing;

import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.store.ClientRegistration;
import dev.coderssh.core.store.CredentialStore;
import dev.coderssh.core.store.Credentials;
import java.time.Duration;
import java.time.Instant;
import mockwebserver3.MockWebServer;

/** Puts a signed-in state on disk that the fake server also knows, without a browser. */
public final class Seed {
    private Seed() {
    }

    public static DeploymentUrl url(MockWebServer server) {
        return DeploymentUrl.parse("http://127.0.0.1:" + server.getPort());
    }

    public static Credentials signIn(FakeCoder fake, MockWebServer server, CredentialStore store, Instant issuedAt,
                                     Duration lifetime) {
        return signIn(fake, server, store, issuedAt, lifetime, String.join(" ", dev.coderssh.core.scope.ScopeCatalog.DEFAULT));
    }

    /** A stored sign-in granted {@code scope}. */
    public static Credentials signIn(FakeCoder fake, MockWebServer server, CredentialStore store, Instant issuedAt,
                                     Duration lifetime, String scope) {
        return signIn(fake, url(server), store, issuedAt, lifetime, scope);
    }

    /** A stored sign-in for {@code url} (which need not be where {@code fake} answers) granted {@code scope}. */
    public static Credentials signIn(FakeCoder fake, DeploymentUrl url, CredentialStore store, Instant issuedAt,
                                     Duration lifetime, String scope) {
        String[] client = fake.adminClient();
        store.saveClient(url, new ClientRegistration(url.toString(), ClientRegistration.MANUAL, client[0], client[1],
                "client_secret_basic", null, null, ""));
        String[] pair = fake.issue(client[0], scope);
        Credentials c = new Credentials(url.toString(), Credentials.OAUTH, pair[0], pair[1], issuedAt, issuedAt.plus(lifetime),
                pair[2], "alice", client[0], url.resolve("/oauth2/tokens"), url.resolve("/oauth2/revoke"), false);
        store.save(c);
        return c;
    }
}
