package dev.coderssh.core.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.store.CredentialStore;
import dev.coderssh.core.testing.Cli;
import dev.coderssh.core.testing.FakeCoder;
import dev.coderssh.core.testing.FollowingBrowser;
import dev.coderssh.core.testing.MutableClock;
import dev.coderssh.core.testing.Seed;
import dev.coderssh.core.testing.TestHome;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.time.Instant;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The fixture of the login suites: a FakeCoder on a MockWebServer and a private home. */
abstract class LoginSuite {
    @TempDir
    Path tmp;
    MockWebServer server;
    FakeCoder fake;
    MutableClock clock;
    TestHome home;
    DeploymentUrl url;

    @BeforeEach
    void startServer() throws Exception {
        fake = new FakeCoder();
        server = new MockWebServer();
        server.setDispatcher(fake);
        server.start();
        clock = new MutableClock(Instant.parse("2026-11-01T10:00:00Z"));
        home = new TestHome(tmp, clock);
        url = Seed.url(server);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    /** Where {@link #type} writes, once {@link #terminal()} made stdin a pipe. */
    PipedOutputStream typed;

    /** stdin becomes a pipe the test types into, as a person at the prompt would. */
    void terminal() throws IOException {
        typed = new PipedOutputStream();
        home.in = new PipedInputStream(typed);
    }

    void type(String line) throws IOException {
        typed.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        typed.flush();
    }

    /** Returns as soon as stderr shows {@code text}; the bound is for a loaded machine (2 cores, a build beside). */
    void awaitErr(String text) throws InterruptedException {
        for (int i = 0; i < 3000 && !home.err().contains(text); i++) {
            Thread.sleep(20);
        }
        assertThat(home.err()).contains(text);
    }

    /**
     * A login on a thread of its own, not the common pool: on two cores that pool has one thread,
     * and a login a failed test left waiting would starve every test after it.
     */
    static CompletableFuture<Integer> async(Supplier<Integer> login) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(login.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "test-login");
        t.setDaemon(true);
        t.start();
        return result;
    }

    int login(FollowingBrowser b, String... extra) {
        return Cli.login(home, url, b, extra);
    }

    CredentialStore store() {
        return home.services().store();
    }
}
