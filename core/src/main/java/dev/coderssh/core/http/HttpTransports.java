package dev.coderssh.core.http;

import dev.coderssh.core.CoderSshException;
import java.io.IOException;
import java.util.Map;

/** Creates the real transport. Call it lazily: it loads the HTTP client (hundreds of classes). */
public final class HttpTransports {
    private HttpTransports() {
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
}
