package dev.coderssh.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.CoreServices;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.store.Credentials;
import dev.coderssh.core.testing.FakeCoder;
import dev.coderssh.core.testing.MutableClock;
import dev.coderssh.core.testing.Seed;
import dev.coderssh.core.testing.TestHome;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A refresh on a full disk never loses the sign-in (issue 12, invariant 2). The state root sits
 * on a real 1 MiB tmpfs, so "no space left" is the kernel's, not a simulation. Mounting needs root,
 * as CI runs the tests.
 */
class RefreshOnFullDiskTest {
    static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    @TempDir
    Path tmp;
    Path mount;
    Path filler;
    MockWebServer server;
    FakeCoder fake;
    MutableClock clock;
    CoreServices core;
    DeploymentUrl url;
    volatile boolean fillOnRefresh;

    @BeforeEach
    void setUp() throws Exception {
        mount = tmp.resolve("fs");
        Files.createDirectories(mount);
        run("mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", mount.toString());
        filler = mount.resolve("filler");
        fake = new FakeCoder();
        server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest req) throws InterruptedException {
                if (fillOnRefresh && req.getTarget().contains("/oauth2/tokens")) {
                    fillDisk(); // the disk fills while the server rotates the pair
                }
                return fake.dispatch(req);
            }
        });
        server.start();
        clock = new MutableClock(T0);
        core = new TestHome(mount, clock).services();
        url = Seed.url(server);
    }

    @AfterEach
    void tearDown() throws Exception {
        server.close();
        run("umount", mount.toString());
    }

    @Test
    void aDiskThatFillsDuringTheRefreshStillGetsTheRotatedPairSaved() {
        Credentials old = Seed.signIn(fake, server, core.store(), T0, Duration.ofHours(24));
        clock.advance(Duration.ofHours(24));
        fillOnRefresh = true;

        AccessToken t = core.tokens().fresh(url);

        assertThat(fake.refreshRequests.get()).isEqualTo(1);
        assertThat(fake.refreshTokenLive(old.refreshToken())).isFalse();
        Credentials stored = core.store().load(url);
        assertThat(stored.accessToken()).isEqualTo(t.value());
        assertThat(fake.refreshTokenLive(stored.refreshToken())).isTrue();
    }

    @Test
    void aFullDiskRefusesBeforeAskingTheServerAndKeepsTheSignIn() throws Exception {
        Credentials old = Seed.signIn(fake, server, core.store(), T0, Duration.ofHours(24));
        clock.advance(Duration.ofHours(24));
        fillDisk();

        assertThatThrownBy(() -> core.tokens().fresh(url)).isInstanceOf(CoderSshException.class)
                .hasMessageContaining("no space left").hasMessageContaining("nothing was sent");
        assertThat(fake.refreshRequests.get()).isZero();
        assertThat(fake.refreshTokenLive(old.refreshToken())).isTrue();

        Files.delete(filler); // space freed: the same sign-in refreshes
        AccessToken t = core.tokens().fresh(url);
        assertThat(fake.refreshRequests.get()).isEqualTo(1);
        assertThat(core.store().load(url).accessToken()).isEqualTo(t.value());
    }

    private void fillDisk() {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // No space left: the point.
        }
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s (this test mounts a tmpfs, as root does in CI): %s", String.join(" ", cmd), out)
                .isZero();
    }
}
