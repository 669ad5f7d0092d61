package dev.coderssh.core.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.testing.FakeCoder;
import dev.coderssh.core.testing.Jvm;
import dev.coderssh.core.testing.LoginGateMain;
import dev.coderssh.core.testing.Seed;
import dev.coderssh.core.testing.TestHome;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Eight real processes need a sign-in at once: one browser, one sign-in, eight tokens. */
class LoginGateTest {
    static final int PROCESSES = 8;

    @TempDir
    Path tmp;

    @Test
    void eightProcessesShareOneBrowserSignIn() throws Exception {
        FakeCoder fake = new FakeCoder();
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(fake);
            server.start();
            TestHome home = new TestHome(tmp, Clock.systemUTC());
            DeploymentUrl url = Seed.url(server);
            Path opened = tmp.resolve("opened");
            Path proceed = tmp.resolve("proceed");
            List<Process> procs = new ArrayList<>();
            List<CompletableFuture<String>> stderr = new ArrayList<>();
            Set<String> urlsShown = java.util.concurrent.ConcurrentHashMap.newKeySet();
            // Every process shows the authorization URL: the leader because it runs the flow, the
            // others because they read it from the leader. Only then may the browser consent.
            CountDownLatch shown = new CountDownLatch(PROCESSES);
            for (int i = 0; i < PROCESSES; i++) {
                Process p = Jvm.builder(List.of(), LoginGateMain.class, home.root.toString(), url.toString(),
                        opened.toString(), proceed.toString()).start();
                procs.add(p);
                stderr.add(CompletableFuture.supplyAsync(() -> readErr(p, shown, urlsShown)));
            }
            assertThat(shown.await(120, TimeUnit.SECONDS)).as("all processes showed the URL").isTrue();
            Files.createFile(proceed);
            Set<String> tokens = new HashSet<>();
            for (int i = 0; i < PROCESSES; i++) {
                Process p = procs.get(i);
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
                String err = stderr.get(i).get(60, TimeUnit.SECONDS);
                assertThat(p.exitValue()).as("process %d: %s", i, err).isZero();
                tokens.add(out);
            }
            assertThat(Files.readAllLines(opened)).as("browser launches").hasSize(1);
            assertThat(urlsShown).as("one authorization URL, shown by every process").hasSize(1);
            assertThat(fake.codeExchanges.get()).isEqualTo(1);
            assertThat(fake.registrations.get()).isEqualTo(1);
            assertThat(tokens).hasSize(1);
            assertThat(fake.accessTokenLive(tokens.iterator().next())).isTrue();
            try (var files = Files.list(home.root.resolve("locks"))) {
                assertThat(files).as("no lock or URL file left").isEmpty();
            }
        }
    }

    @Test
    void aSignedInDeploymentNeedsNoBrowser() throws Exception {
        FakeCoder fake = new FakeCoder();
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(fake);
            server.start();
            TestHome home = new TestHome(tmp, Clock.systemUTC());
            dev.coderssh.core.CoreServices core = home.services();
            java.time.Instant now = java.time.Instant.now();
            String token = Seed.signIn(fake, server, core.store(), now, java.time.Duration.ofHours(24)).accessToken();
            Browser browser = org.mockito.Mockito.mock(Browser.class);
            assertThat(new LoginGate(core, browser).signIn(options(Seed.url(server))).value()).isEqualTo(token);
            org.mockito.Mockito.verifyNoInteractions(browser);
        }
    }

    @Test
    void waitersShowTheLeadersUrlAndDoNotStartASecondSignInWhenItFails() throws Exception {
        TestHome home = new TestHome(tmp, Clock.systemUTC());
        dev.coderssh.core.CoreServices core = home.services();
        DeploymentUrl url = DeploymentUrl.parse("https://coder.example.com");
        Browser browser = org.mockito.Mockito.mock(Browser.class);
        // A leader (another process, here another thread) holds the sign-in and has shown its URL.
        dev.coderssh.core.store.LockManager.Held leader = core.locks().tryAcquire(url, LoginGate.LOCK);
        Path urlFile = home.root.resolve("locks").resolve(url.fileKey() + ".signin-url");
        dev.coderssh.core.store.SecureFiles.writeAtomic(urlFile,
                "https://coder.example.com/oauth2/authorize?state=abc\u001b[2J".getBytes(StandardCharsets.UTF_8));
        CompletableFuture<Throwable> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                new LoginGate(core, browser).signIn(options(url));
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        while (!home.err().contains("/oauth2/authorize?state=abc")) {
            Thread.sleep(10);
        }
        // The leader ends without a sign-in (cancelled in the browser, or killed).
        Files.delete(urlFile);
        leader.close();
        Throwable t = waiter.get(60, TimeUnit.SECONDS);
        assertThat(t).isInstanceOfSatisfying(dev.coderssh.core.CoderSshException.class,
                e -> assertThat(e.exitCode()).isEqualTo(dev.coderssh.core.ExitCode.AUTH_REQUIRED))
                .hasMessageContaining("in another coder-ssh process ended without signing in");
        org.mockito.Mockito.verifyNoInteractions(browser);
        assertThat(home.err()).as("shown once, control characters removed").containsOnlyOnce("state=abc")
                .doesNotContain("\u001b");
    }

    static LoginOptions options(DeploymentUrl url) {
        return new LoginOptions(url, null, null, null, false,
                java.time.Duration.ofMinutes(1), false, false);
    }

    /** Collects a child's stderr; counts it as having shown the URL at the first authorize URL line. */
    private static String readErr(Process p, CountDownLatch shown, Set<String> urls) {
        StringBuilder sb = new StringBuilder();
        boolean counted = false;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                sb.append(line).append('\n');
                if (line.strip().contains("/oauth2/authorize?") && !counted) {
                    counted = true;
                    urls.add(line.strip());
                    shown.countDown();
                }
            }
        } catch (java.io.IOException e) {
            sb.append(e);
        }
        return sb.toString();
    }
}
