package dev.coderssh.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockWebServer;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * A MockWebServer serving https as {@code localhost} with a certificate from a private test CA,
 * whose PEM is written for {@code --tls-ca-file}. Close it after each test.
 */
public final class HttpsDeployment implements AutoCloseable {
    public final MockWebServer server = new MockWebServer();
    public final HeldCertificate ca = new HeldCertificate.Builder().certificateAuthority(0)
            .commonName("coder-ssh test CA").build();
    /** What a browser that trusts the test CA (as the user's would, through the OS store) uses. */
    public final HandshakeCertificates clientTrust = new HandshakeCertificates.Builder()
            .addTrustedCertificate(ca.certificate()).build();
    public final Path caFile;
    public final String url;

    public HttpsDeployment(Path tmp, Dispatcher dispatcher) throws IOException {
        HeldCertificate cert = new HeldCertificate.Builder().signedBy(ca).addSubjectAlternativeName("localhost")
                .commonName("localhost").build();
        server.useHttps(new HandshakeCertificates.Builder().heldCertificate(cert, ca.certificate()).build()
                .sslSocketFactory());
        server.setDispatcher(dispatcher);
        server.start();
        url = "https://localhost:" + server.getPort();
        caFile = tmp.resolve("ca.pem");
        Files.writeString(caFile, ca.certificatePem());
    }

    @Override
    public void close() {
        server.close();
    }
}
