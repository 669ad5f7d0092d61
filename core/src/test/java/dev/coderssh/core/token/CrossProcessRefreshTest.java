package dev.coderssh.core.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.CoreServices;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.store.Credentials;
import dev.coderssh.core.testing.FakeCoder;
import dev.coderssh.core.testing.FreshTokenMain;
import dev.coderssh.core.testing.Jvm;
import dev.coderssh.core.testing.Seed;
import dev.coderssh.core.testing.TestHome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sixteen real JVMs ask for a token at once while the stored one is stale: one refresh, one answer. */
class CrossProcessRefreshTest {
    static final int PROCESSES = 16;

    @TempDir
    Path tmp;

    @Test
    void sixteenProcessesShareOneRefresh() throws Exception {
        FakeCoder fake = new FakeCoder();
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(fake);
            server.start();
            TestHome home = new TestHome(tmp, Clock.systemUTC());
            CoreServices core = home.services();
            Instant now = Instant.now();
            Credentials stale = Seed.signIn(fake, server, core.store(), now.minus(Duration.ofHours(24)), Duration.ofHours(24));
            DeploymentUrl url = Seed.url(server);
            Path go = tmp.resolve("go");
            List<Process> procs = new ArrayList<>();
            for (int i = 0; i < PROCESSES; i++) {
                procs.add(Jvm.builder(List.of(), FreshTokenMain.class, home.root.toString(), url.toString(), go.toString())
                        .redirectError(tmp.resolve("err" + i).toFile()).start());
            }
            Files.createFile(go);
            Set<String> tokens = new HashSet<>();
            for (int i = 0; i < PROCESSES; i++) {
                Process p = procs.get(i);
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as("child %d: %s", i, Files.readString(tmp.resolve("err" + i))).isZero();
                tokens.add(out);
            }
            assertThat(fake.refreshRequests.get()).isEqualTo(1);
            assertThat(tokens).hasSize(1);
            String token = tokens.iterator().next();
            assertThat(token).isNotEqualTo(stale.accessToken());
            assertThat(fake.accessTokenLive(token)).isTrue();
            assertThat(core.store().load(url).accessToken()).isEqualTo(token);
            try (var files = Files.list(core.home().locks())) {
                assertThat(files).as("stray lock files").isEmpty();
            }
        }
    }
}
