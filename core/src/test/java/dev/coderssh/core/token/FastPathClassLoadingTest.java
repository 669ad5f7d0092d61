package dev.coderssh.core.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.CoreServices;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ProxyCommand's fast path (a fresh token on disk) must load no HTTP client, no JSON object
 * mapper, no Kotlin runtime and no lambda machinery. Runs a real JVM with class-load logging; the
 * stale-token run proves the probe sees OkHttp when it is really used.
 */
class FastPathClassLoadingTest {
    @TempDir
    Path tmp;

    @Test
    void freshTokenLoadsNoHttpClientNorObjectMapper() throws Exception {
        List<String> loaded = run(Duration.ZERO);
        assertThat(loaded).anyMatch(l -> l.contains("dev.coderssh.core.store.CredentialStore "));
        assertThat(loaded).noneMatch(l -> l.contains(" okhttp3.") || l.contains(" kotlin.")
                || l.contains(" com.fasterxml.jackson.databind.") || l.contains(" com.nimbusds.")
                || l.contains("java.lang.invoke.LambdaMetafactory"));
    }

    @Test
    void staleTokenDoesLoadTheHttpClient() throws Exception {
        List<String> loaded = run(Duration.ofHours(24));
        assertThat(loaded).anyMatch(l -> l.contains(" okhttp3.OkHttpClient "));
    }

    private List<String> run(Duration age) throws Exception {
        FakeCoder fake = new FakeCoder();
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(fake);
            server.start();
            TestHome home = new TestHome(tmp, Clock.systemUTC());
            CoreServices core = home.services();
            Credentials c = Seed.signIn(fake, server, core.store(), Instant.now().minus(age), Duration.ofHours(24));
            Path log = tmp.resolve("classes.log");
            Process p = Jvm.builder(List.of("-Xlog:class+load=info:file=" + log), FreshTokenMain.class,
                    home.root.toString(), c.url()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
            assertThat(out).isNotEmpty();
            return Files.readAllLines(log);
        }
    }
}
