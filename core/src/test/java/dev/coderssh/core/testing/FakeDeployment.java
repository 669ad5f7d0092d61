package dev.coderssh.core.testing;

import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.store.Credentials;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockWebServer;

/**
 * A {@link FakeCoder} on a started MockWebServer plus a {@link TestHome} at a fixed clock: what a
 * command test needs to run against one deployment. Close it after each test.
 */
public final class FakeDeployment implements AutoCloseable {
    public final FakeCoder fake = new FakeCoder();
    public final MockWebServer server = new MockWebServer();
    public final TestHome home;
    public final DeploymentUrl url;
    private final Instant now;

    /** @param dispatcher what answers; null for {@link #fake} itself */
    public FakeDeployment(Path tmp, Instant now, Dispatcher dispatcher) throws Exception {
        this.now = now;
        server.setDispatcher(dispatcher == null ? fake : dispatcher);
        server.start();
        home = new TestHome(tmp, new MutableClock(now));
        url = Seed.url(server);
    }

    /** A stored OAuth sign-in the fake also knows, granted the default scopes, valid 24 h. */
    public Credentials signIn() {
        return Seed.signIn(fake, server, home.services().store(), now, Duration.ofHours(24));
    }

    /** The same, granted the first edition's narrow set, as sign-ins made before it changed were. */
    public Credentials narrowSignIn() {
        return Seed.signIn(fake, server, home.services().store(), now, Duration.ofHours(24),
                "coder:workspaces.access workspace:start user:read_personal");
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
