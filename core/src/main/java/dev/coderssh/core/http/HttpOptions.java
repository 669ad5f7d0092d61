package dev.coderssh.core.http;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How to reach a deployment: extra headers (static and from a command, as the Coder CLI's
 * {@code --header} / {@code --header-command}), a custom CA bundle (the JVM ignores the OS trust
 * store), an optional client certificate, and timeouts. Proxies come from HTTPS_PROXY/NO_PROXY.
 * Any field may be null/empty.
 */
public record HttpOptions(Map<String, String> headers, String headerCommand, Path caFile,
                          Path clientCertFile, Path clientKeyFile, Duration connectTimeout,
                          Duration readTimeout) {
    public HttpOptions {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout;
        readTimeout = readTimeout == null ? Duration.ofSeconds(30) : readTimeout;
    }

    /**
     * The file an option names ({@code --ca-file}, a client certificate or key), refused up front
     * when missing: later it would read as the server's failure.
     */
    public static Path existing(String option, String file) {
        if (file == null) {
            return null;
        }
        Path p = Path.of(file);
        if (!java.nio.file.Files.isRegularFile(p)) {
            throw dev.coderssh.core.CoderSshException.usage(option + " " + file + ": no such file");
        }
        try {
            if (java.nio.file.Files.size(p) > TlsMaterial.MAX_PEM_BYTES) {
                throw dev.coderssh.core.CoderSshException.usage(option + " " + file + ": larger than "
                        + (TlsMaterial.MAX_PEM_BYTES >> 20) + " MiB, not a PEM file");
            }
        } catch (java.io.IOException e) {
            // Read later, bounded again (TlsMaterial.readAtMost), and any failure said there.
        }
        return p;
    }

    public static HttpOptions defaults() {
        return new HttpOptions(Map.of(), null, null, null, null, null, null);
    }
}
