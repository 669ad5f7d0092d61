package dev.coderssh.core.http;

import dev.coderssh.core.CoderSshException;
import java.io.IOException;
import java.util.Map;

/** Creates the real transport. Call it lazily: it loads the HTTP client (hundreds of classes). */
public final class HttpTransports {
    private HttpTransports() {
    }

    /**
     * One line for a failed request: TLS trust failures say what to do (the JVM does not read the
     * OS trust store, so a private CA must be given), others name the exception.
     */
    public static String problem(IOException e, String url) {
        if (e instanceof javax.net.ssl.SSLException) {
            String why = e.getMessage() == null ? "" : e.getMessage();
            String reason = why.contains("PKIX") || why.contains("certification path") ? "its certificate is not trusted"
                    : why.contains("No subject alternative") || why.contains("hostname") ? "its certificate is for another host name"
                    : "the TLS handshake failed (" + e.getClass().getSimpleName() + ")";
            return "TLS with " + url + " failed: " + reason + "; if it uses a private CA, pass --ca-file FILE"
                    + " (or set CODER_SSH_CA_FILE); certificate checks are never turned off";
        }
        return e.getClass().getSimpleName();
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
