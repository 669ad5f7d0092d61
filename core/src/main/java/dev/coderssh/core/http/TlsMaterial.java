package dev.coderssh.core.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Trust and client-certificate material from PEM files. A custom CA is added to the JDK's default
 * roots (as the Coder CLI adds it to the system pool); verification itself is never turned off.
 */
final class TlsMaterial {
    private TlsMaterial() {
    }

    /** A custom CA and/or client certificate as both transports take them. */
    record Custom(SSLSocketFactory socketFactory, X509TrustManager trustManager) {
    }

    /** The TLS set-up for {@code options}, or null when the JDK's defaults apply. */
    static Custom custom(HttpOptions options) throws IOException {
        if (options.caFile() == null && options.clientCertFile() == null) {
            return null;
        }
        X509TrustManager tm = trustManager(options.caFile());
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keyManagers(options.clientCertFile(), options.clientKeyFile()), new TrustManager[] {tm}, null);
            return new Custom(ctx.getSocketFactory(), tm);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + HttpTransports.clean(e.getMessage()), e);
        }
    }

    static X509TrustManager trustManager(Path caFile) throws IOException {
        try {
            TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            defaults.init((KeyStore) null);
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (TrustManager tm : defaults.getTrustManagers()) {
                if (tm instanceof X509TrustManager) {
                    for (X509Certificate c : ((X509TrustManager) tm).getAcceptedIssuers()) {
                        ks.setCertificateEntry("default-" + i++, c);
                    }
                }
            }
            if (caFile != null) {
                for (Certificate c : readCertificates(caFile)) {
                    ks.setCertificateEntry("custom-" + i++, c);
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager) {
                    return (X509TrustManager) tm;
                }
            }
            throw new IOException("no X509 trust manager");
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load CA file " + caFile + ": it holds no readable PEM certificate", e);
        }
    }

    static KeyManager[] keyManagers(Path certFile, Path keyFile) throws IOException {
        if (certFile == null || keyFile == null) {
            return null;
        }
        try {
            Collection<? extends Certificate> chain = readCertificates(certFile);
            String pem = new String(readAtMost(keyFile), StandardCharsets.US_ASCII);
            if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
                throw new IOException("client key " + keyFile + " must be an unencrypted PKCS#8 PEM (BEGIN PRIVATE KEY)");
            }
            byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
            PrivateKey key = null;
            for (String alg : List.of("RSA", "EC", "Ed25519")) {
                try {
                    key = KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
                    break;
                } catch (GeneralSecurityException e) {
                    // try the next algorithm
                }
            }
            if (key == null) {
                throw new IOException("unsupported client key type in " + keyFile);
            }
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setKeyEntry("client", key, new char[0], new ArrayList<>(chain).toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            return kmf.getKeyManagers();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load client certificate: " + HttpTransports.clean(e.getMessage()), e);
        }
    }

    /** Far more than a CA bundle (the system's is about 200 KiB); a bigger file is not one. */
    static final int MAX_PEM_BYTES = 4 * 1024 * 1024;

    /** The file, refused in one line past {@link #MAX_PEM_BYTES} (a device or a huge file would exhaust memory). */
    static byte[] readAtMost(Path file) throws IOException {
        byte[] data;
        try (InputStream in = Files.newInputStream(file)) {
            data = in.readNBytes(MAX_PEM_BYTES + 1);
        }
        if (data.length > MAX_PEM_BYTES) {
            throw new IOException(file + " is larger than " + (MAX_PEM_BYTES >> 20) + " MiB: not a PEM file");
        }
        return data;
    }

    private static Collection<? extends Certificate> readCertificates(Path file) throws IOException, GeneralSecurityException {
        if (!Files.isRegularFile(file)) {
            // Said before any request, so it is not mistaken for the server's failure.
            throw new IOException(file + " does not exist or is not a file");
        }
        try (InputStream in = new java.io.ByteArrayInputStream(readAtMost(file))) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IOException("no certificates in " + file);
            }
            return certs;
        }
    }
}
