package dev.coderssh.core.http;

import dev.coderssh.core.CoderSshException;
import java.io.IOException;
import java.util.Map;

/** Creates the real transport. Call it lazily: it loads the HTTP client (hundreds of classes). */
public final class HttpTransports {
    private HttpTransports() {
    }

    /**
     * One line for a failed request, in words (never an exception's class name): TLS failures say
     * which check failed and what to do (the JVM does not read the OS trust store, so a private CA
     * must be given).
     */
    public static String problem(IOException e, String url) {
        if (e instanceof javax.net.ssl.SSLException) {
            return "TLS with " + url + " failed: " + tlsReason(e);
        }
        if (e instanceof java.net.UnknownHostException) {
            return "unknown host " + clean(e.getMessage());
        }
        if (e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (e instanceof java.net.SocketTimeoutException || e instanceof java.net.http.HttpTimeoutException) {
            return "timed out";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return clean(e.getMessage()) + " does not exist";
        }
        String m = clean(e.getMessage());
        return m.isEmpty() ? "the connection failed" : m;
    }

    private static String tlsReason(IOException e) {
        String hint = "; if it uses a private CA, pass --tls-ca-file FILE (or set CODER_SSH_CA_FILE); certificate checks are never turned off";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.security.cert.CertificateExpiredException
                    || (t.getMessage() != null && t.getMessage().contains("validity check failed"))) {
                return "its certificate has expired (or is not yet valid): check the server's certificate and this machine's clock";
            }
        }
        String why = e.getMessage() == null ? "" : e.getMessage();
        if (why.contains("PKIX") || why.contains("certification path")) {
            return "its certificate is not trusted" + hint;
        }
        if (why.contains("No subject alternative") || why.contains("hostname")) {
            return "its certificate is for another host name";
        }
        if (why.contains("Unsupported or unrecognized SSL message") || why.contains("plaintext")) {
            return "the server did not answer with TLS (is it plain http://, or the wrong port?)";
        }
        return "the TLS handshake failed" + (why.isEmpty() ? "" : " (" + clean(why) + ")")
                + ": the server may need a client certificate (--tls-cert-file, --tls-key-file) or a newer TLS version"
                + hint;
    }

    /** A message as one printable line, at most 200 characters (it may echo what a server sent). */
    static String clean(String m) {
        return dev.coderssh.core.cli.TerminalText.line(m, 200);
    }

    /**
     * @param version the tool's version for {@code User-Agent: coder-ssh/<version>}
     * @param env     the process environment, for HTTPS_PROXY / HTTP_PROXY / NO_PROXY
     */
    public static HttpTransport create(HttpOptions options, String version, Map<String, String> env) {
        try {
            return new OkHttpTransport(options, version, env);
        } catch (IOException e) {
            throw CoderSshException.failure(e.getMessage());
        }
    }

    /**
     * The lean transport on the JDK's own HttpURLConnection: the same contract as {@link #create}
     * at a fraction of the start-up cost, for a process that sends one or two requests (the
     * ProxyCommand's token refresh).
     */
    public static HttpTransport createLean(HttpOptions options, String version, Map<String, String> env) {
        try {
            return new JdkHttpTransport(options, version, env);
        } catch (IOException e) {
            throw CoderSshException.failure(e.getMessage());
        }
    }
}
