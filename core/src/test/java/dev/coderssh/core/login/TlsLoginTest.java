package dev.coderssh.core.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.command.LoginCommand;
import dev.coderssh.core.testing.Cli;
import dev.coderssh.core.testing.FakeCoder;
import dev.coderssh.core.testing.HttpsDeployment;
import dev.coderssh.core.testing.MutableClock;
import dev.coderssh.core.testing.TestHome;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import okhttp3.tls.HandshakeCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A deployment behind a private CA: refused with one clear line without --ca-file, signed in with it. */
class TlsLoginTest {
    @TempDir
    Path tmp;
    HttpsDeployment https;
    FakeCoder fake;
    TestHome home;
    String url;

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeCoder();
        https = new HttpsDeployment(tmp, fake);
        url = https.url;
        home = new TestHome(tmp, new MutableClock(Instant.parse("2026-11-01T10:00:00Z")));
    }

    @AfterEach
    void tearDown() {
        https.close();
    }

    @Test
    void untrustedCertificateIsOneClearLine() {
        int code = Cli.run(new LoginCommand("test", c -> new TrustingBrowser(null), () -> false), home.console(), url);
        assertThat(code).isEqualTo(1);
        assertThat(home.err().strip()).doesNotContain("\n")
                .isEqualTo("coder-ssh: TLS with " + url + " failed: its certificate is not trusted; if it uses a private CA,"
                        + " pass --tls-ca-file FILE (or set CODER_SSH_CA_FILE); certificate checks are never turned off");
        assertThat(fake.codeExchanges.get()).isZero();
    }

    @Test
    void withTheCaFileTheSignInWorks() throws Exception {
        TrustingBrowser browser = new TrustingBrowser(https.clientTrust);
        int code = Cli.run(new LoginCommand("test", c -> browser, () -> false), home.console(), url, "--ca-file",
                https.caFile.toString());
        assertThat(code).as(home.err()).isZero();
        assertThat(browser.page.get(30, TimeUnit.SECONDS)).contains("Signed in to " + url + " as alice");
        assertThat(fake.codeExchanges.get()).isEqualTo(1);
    }

    /** A browser that trusts the test CA (as the user's would, via the OS store) and follows the redirect. */
    static final class TrustingBrowser implements Browser {
        final CompletableFuture<String> page = new CompletableFuture<>();
        private final HandshakeCertificates trust;

        TrustingBrowser(HandshakeCertificates trust) {
            this.trust = trust;
        }

        @Override
        public void open(String authorizeUrl) {
            CompletableFuture.runAsync(() -> {
                try {
                    HttpsURLConnection c = (HttpsURLConnection) new URL(authorizeUrl).openConnection();
                    c.setSSLSocketFactory(trust.sslSocketFactory());
                    c.setInstanceFollowRedirects(false);
                    c.getResponseCode();
                    String location = c.getHeaderField("Location");
                    HttpURLConnection cb = (HttpURLConnection) new URL(location).openConnection();
                    cb.getResponseCode();
                    page.complete(new String(cb.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                } catch (Exception e) {
                    page.completeExceptionally(e);
                }
            });
        }
    }
}
