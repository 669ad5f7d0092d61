package dev.coderssh.core.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.command.LoginCommand;
import dev.coderssh.core.testing.Cli;
import dev.coderssh.core.testing.FakeCoder;
import dev.coderssh.core.testing.MutableClock;
import dev.coderssh.core.testing.TestHome;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import mockwebserver3.MockWebServer;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A deployment behind a private CA: refused with one clear line without --ca-file, signed in with it. */
class TlsLoginTest {
    @TempDir
    Path tmp;
    MockWebServer server;
    FakeCoder fake;
    TestHome home;
    HeldCertificate ca;
    String url;

    @BeforeEach
    void setUp() throws Exception {
        ca = new HeldCertificate.Builder().certificateAuthority(0).commonName("coder-ssh test CA").build();
        HeldCertificate cert = new HeldCertificate.Builder().signedBy(ca).addSubjectAlternativeName("localhost")
                .commonName("localhost").build();
        HandshakeCertificates serverCerts = new HandshakeCertificates.Builder().heldCertificate(cert, ca.certificate()).build();
        fake = new FakeCoder();
        server = new MockWebServer();
        server.useHttps(serverCerts.sslSocketFactory());
        server.setDispatcher(fake);
        server.start();
        url = "https://localhost:" + server.getPort();
        home = new TestHome(tmp, new MutableClock(Instant.parse("2026-11-01T10:00:00Z")));
    }

    @AfterEach
    void tearDown() {
        server.close();
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
        Path caFile = tmp.resolve("ca.pem");
        Files.writeString(caFile, ca.certificatePem());
        HandshakeCertificates clientCerts = new HandshakeCertificates.Builder().addTrustedCertificate(ca.certificate()).build();
        TrustingBrowser browser = new TrustingBrowser(clientCerts);
        int code = Cli.run(new LoginCommand("test", c -> browser, () -> false), home.console(), url, "--ca-file", caFile.toString());
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
