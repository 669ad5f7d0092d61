package dev.coderssh.core.http;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The network edge: everything above it (OAuth, the Coder API, the CLI download) is plain logic
 * over these records, with no HTTP library types in its signatures.
 */
public interface HttpTransport {
    /**
     * Sends a request and buffers the response body (capped).
     *
     * @throws IOException on connection, TLS or timeout failures, and on a body over the cap
     */
    HttpResponse send(HttpRequest request) throws IOException;

    /**
     * Like {@link #send(HttpRequest)} with a bound on the whole call (connect, write, read): for
     * requests a person or an ssh client is waiting on, such as token refreshes.
     */
    default HttpResponse send(HttpRequest request, Duration callTimeout) throws IOException {
        return send(request);
    }

    /**
     * Streams a successful (2xx) response body to {@code target} (which the caller then installs
     * atomically); for any other status the body is not written and the response is returned with
     * a buffered body as {@link #send} would.
     */
    HttpResponse download(HttpRequest request, Path target) throws IOException;
}
