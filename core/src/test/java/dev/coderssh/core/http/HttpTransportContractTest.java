package dev.coderssh.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract both transports keep, run against each (MockWebServer on loopback). */
abstract class HttpTransportContractTest {
    @TempDir
    Path tmp;
    MockWebServer server;

    @BeforeEach
    void setUp() throws Exception {
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    abstract HttpTransport transport(HttpOptions options);

    static final class OkHttp extends HttpTransportContractTest {
        @Override
        HttpTransport transport(HttpOptions options) {
            return HttpTransports.create(options, "1.2.3", Map.of());
        }
    }

    static final class Jdk extends HttpTransportContractTest {
        @Override
        HttpTransport transport(HttpOptions options) {
            return HttpTransports.createLean(options, "1.2.3", Map.of());
        }
    }

    @Test
    void sendsUserAgentHeadersAndHeaderCommandOutput() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("X-Answer", "42").body("hello").build());
        HttpOptions options = new HttpOptions(Map.of("X-Static", "s"), "printf 'X-From-Command=c\\n'", null, null, null, null, null);
        HttpResponse r = transport(options).send(HttpRequest.postForm(server.url("/x").toString(), Map.of("a", "b c"))
                .withHeader("X-Request", "r"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("X-Answer")).isEqualTo("42");
        assertThat(r.bodyText()).isEqualTo("hello");
        RecordedRequest req = server.takeRequest();
        assertThat(req.getHeaders().get("User-Agent")).isEqualTo("coder-ssh/1.2.3");
        assertThat(req.getHeaders().get("X-Static")).isEqualTo("s");
        assertThat(req.getHeaders().get("X-From-Command")).isEqualTo("c");
        assertThat(req.getHeaders().get("X-Request")).isEqualTo("r");
        assertThat(req.getBody().utf8()).isEqualTo("a=b+c");
    }

    @Test
    void bodiesOverTheCapAreRefused() {
        server.enqueue(new MockResponse.Builder().code(200).body("x".repeat((int) OkHttpTransport.BODY_CAP + 1)).build());
        assertThatThrownBy(() -> transport(HttpOptions.defaults()).send(HttpRequest.get(server.url("/").toString())))
                .isInstanceOf(ResponseTooLargeException.class);
    }

    @Test
    void aCallTimeoutBoundsTheWholeCall() {
        server.enqueue(new MockResponse.Builder().onResponseStart(mockwebserver3.SocketEffect.Stall.INSTANCE).build());
        // The socket read timeout is the default 30 s: what ends this call is the call bound, which
        // both report as a plain InterruptedIOException (a read timeout is a SocketTimeoutException).
        assertThatThrownBy(() -> transport(HttpOptions.defaults()).send(HttpRequest.get(server.url("/").toString()),
                java.time.Duration.ofMillis(300)))
                .isExactlyInstanceOf(java.io.InterruptedIOException.class);
    }

    @Test
    void errorStatusesKeepTheirBodyAndHeaders() throws Exception {
        server.enqueue(new MockResponse.Builder().code(400).addHeader("Content-Type", "application/json")
                .body("{\"error\":\"invalid_grant\"}").build());
        HttpResponse r = transport(HttpOptions.defaults()).send(HttpRequest.postForm(server.url("/t").toString(),
                Map.of("grant_type", "refresh_token")), java.time.Duration.ofSeconds(10));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.header("content-type")).isEqualTo("application/json");
        assertThat(r.bodyText()).contains("invalid_grant");
        RecordedRequest req = server.takeRequest();
        assertThat(req.getMethod()).isEqualTo("POST");
        assertThat(req.getHeaders().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
    }

    @Test
    void unauthorizedPostsAreResponsesNotRetries() throws Exception {
        server.enqueue(new MockResponse.Builder().code(401).addHeader("WWW-Authenticate", "Basic realm=\"coder\"")
                .body("{\"error\":\"invalid_client\"}").build());
        HttpResponse r = transport(HttpOptions.defaults()).send(HttpRequest.postForm(server.url("/t").toString(),
                Map.of("grant_type", "refresh_token")), java.time.Duration.ofSeconds(10));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.bodyText()).contains("invalid_client");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aReadTimeoutIsAnIOException() {
        server.enqueue(new MockResponse.Builder().onResponseStart(mockwebserver3.SocketEffect.Stall.INSTANCE).build());
        HttpOptions options = new HttpOptions(Map.of(), null, null, null, null, null, java.time.Duration.ofMillis(200));
        assertThatThrownBy(() -> transport(options).send(HttpRequest.get(server.url("/").toString())))
                .isInstanceOf(java.io.IOException.class);
    }

    @Test
    void connectionRefusedIsAnIOException() throws Exception {
        String url = server.url("/").toString();
        server.close();
        assertThatThrownBy(() -> transport(HttpOptions.defaults()).send(HttpRequest.get(url)))
                .isInstanceOf(java.io.IOException.class);
    }

    @Test
    void httpsTrustsTheCaFileAndOnlyIt() throws Exception {
        okhttp3.tls.HeldCertificate ca = new okhttp3.tls.HeldCertificate.Builder().certificateAuthority(0)
                .commonName("coder-ssh test CA").build();
        okhttp3.tls.HeldCertificate cert = new okhttp3.tls.HeldCertificate.Builder().signedBy(ca)
                .addSubjectAlternativeName("localhost").build();
        server.close();
        server = new MockWebServer();
        server.useHttps(new okhttp3.tls.HandshakeCertificates.Builder().heldCertificate(cert, ca.certificate()).build()
                .sslSocketFactory());
        server.start();
        server.enqueue(new MockResponse.Builder().code(200).body("secure").build());
        server.enqueue(new MockResponse.Builder().code(200).body("never").build());
        String url = server.url("/").newBuilder().host("localhost").build().toString();
        Path caFile = tmp.resolve("ca.pem");
        Files.writeString(caFile, ca.certificatePem());
        HttpOptions withCa = new HttpOptions(Map.of(), null, caFile, null, null, null, null);
        assertThat(transport(withCa).send(HttpRequest.get(url)).bodyText()).isEqualTo("secure");
        assertThatThrownBy(() -> transport(HttpOptions.defaults()).send(HttpRequest.get(url)))
                .isInstanceOf(javax.net.ssl.SSLException.class);
    }

    /** HTTPS on the server with a certificate from a private CA; returns the CA file. */
    private Path httpsWith(okhttp3.tls.HeldCertificate.Builder leaf, boolean clientAuth) throws Exception {
        okhttp3.tls.HeldCertificate ca = new okhttp3.tls.HeldCertificate.Builder().certificateAuthority(0)
                .commonName("coder-ssh test CA").build();
        okhttp3.tls.HeldCertificate cert = leaf.signedBy(ca).addSubjectAlternativeName("localhost").build();
        server.close();
        server = new MockWebServer();
        server.useHttps(new okhttp3.tls.HandshakeCertificates.Builder().heldCertificate(cert, ca.certificate()).build()
                .sslSocketFactory());
        if (clientAuth) {
            server.requireClientAuth();
        }
        server.start();
        Path caFile = tmp.resolve("ca.pem");
        Files.writeString(caFile, ca.certificatePem());
        return caFile;
    }

    private String problem(HttpOptions options) {
        String url = server.url("/").newBuilder().host("localhost").build().toString();
        try {
            transport(options).send(HttpRequest.get(url));
        } catch (java.io.IOException e) {
            return HttpTransports.problem(e, url);
        }
        throw new AssertionError("the request succeeded");
    }

    @Test
    void anExpiredCertificateIsCalledExpiredNotUntrusted() throws Exception {
        long day = 86_400_000L;
        Path ca = httpsWith(new okhttp3.tls.HeldCertificate.Builder()
                .validityInterval(System.currentTimeMillis() - 10 * day, System.currentTimeMillis() - day), false);
        assertThat(problem(new HttpOptions(Map.of(), null, ca, null, null, null, null)))
                .contains("expired").doesNotContain("not trusted").doesNotContain("Exception");
    }

    @Test
    void aFailedHandshakeSaysWhatMightBeMissingNotAClassName() throws Exception {
        Path ca = httpsWith(new okhttp3.tls.HeldCertificate.Builder(), true);
        assertThat(problem(new HttpOptions(Map.of(), null, ca, null, null, null, null)))
                .isNotBlank().doesNotContain("Exception").doesNotContain("\n");
    }

    @Test
    void aMissingCaFileIsNamedAsMissing() {
        Path missing = tmp.resolve("no-such-ca.pem");
        assertThatThrownBy(() -> transport(new HttpOptions(Map.of(), null, missing, null, null, null, null)))
                .hasMessageContaining(missing + " does not exist");
    }

    @Test
    void redirectsAreNotFollowed() throws Exception {
        server.enqueue(new MockResponse.Builder().code(302).addHeader("Location", "http://example.invalid/").build());
        assertThat(transport(HttpOptions.defaults()).send(HttpRequest.get(server.url("/").toString())).status()).isEqualTo(302);
    }

    @Test
    void downloadStreamsOnlySuccess() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).body("binary").build());
        server.enqueue(new MockResponse.Builder().code(404).body("{\"message\":\"no\"}").build());
        Path target = tmp.resolve("bin");
        HttpTransport t = transport(HttpOptions.defaults());
        assertThat(t.download(HttpRequest.get(server.url("/a").toString()), target).status()).isEqualTo(200);
        assertThat(Files.readString(target)).isEqualTo("binary");
        HttpResponse miss = t.download(HttpRequest.get(server.url("/b").toString()), tmp.resolve("other"));
        assertThat(miss.status()).isEqualTo(404);
        assertThat(miss.bodyText()).contains("no");
        assertThat(Files.exists(tmp.resolve("other"))).isFalse();
    }

    @Test
    void badCaFileIsAOneLineFailure() throws Exception {
        Path ca = tmp.resolve("ca.pem");
        Files.writeString(ca, "not a certificate", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> transport(new HttpOptions(Map.of(), null, ca, null, null, null, null)))
                .hasMessageContaining("CA file");
    }

    @Test
    void noProxyMatchesHostsAndSuffixes() {
        EnvProxySelector s = new EnvProxySelector(Map.of("HTTPS_PROXY", "http://proxy:3128", "NO_PROXY", "localhost,.internal,10.0.0.1:443"));
        assertThat(s.noProxy("localhost")).isTrue();
        assertThat(s.noProxy("coder.internal")).isTrue();
        assertThat(s.noProxy("10.0.0.1")).isTrue();
        assertThat(s.noProxy("coder.example.com")).isFalse();
        assertThat(s.select(java.net.URI.create("https://coder.example.com/")).get(0).address().toString()).contains("proxy");
        assertThat(s.select(java.net.URI.create("https://coder.internal/")).get(0)).isEqualTo(java.net.Proxy.NO_PROXY);
    }
}
