package dev.coderssh.core.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Timer;
import java.util.TimerTask;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * {@link HttpTransport} over the JDK's {@link HttpURLConnection}: the lean transport for the
 * ProxyCommand's token refresh. The JDK's HTTP classes are in the base CDS archive, so one request
 * costs a fraction of what loading OkHttp, okio and the Kotlin stdlib costs. Same contract as
 * {@link OkHttpTransport}: body cap, timeouts, static and command headers, custom CA / client
 * certificate, HTTPS_PROXY/NO_PROXY, no redirects.
 */
final class JdkHttpTransport implements HttpTransport {
    private final String userAgent;
    private final HttpOptions options;
    private final EnvProxySelector proxies;
    private final SSLSocketFactory sslSocketFactory;
    private final HeaderCommand headerCommand;

    JdkHttpTransport(HttpOptions options, String version, Map<String, String> env) throws IOException {
        this.options = options;
        this.userAgent = "coder-ssh/" + version;
        this.proxies = new EnvProxySelector(env);
        TlsMaterial.Custom tls = TlsMaterial.custom(options);
        this.sslSocketFactory = tls == null ? null : tls.socketFactory();
        this.headerCommand = new HeaderCommand(options.headerCommand());
    }

    @Override
    public HttpResponse send(HttpRequest request) throws IOException {
        return send(request, options.readTimeout().multipliedBy(2));
    }

    @Override
    public HttpResponse send(HttpRequest request, Duration callTimeout) throws IOException {
        HttpURLConnection c = open(request);
        CallBound bound = CallBound.start(c, callTimeout);
        try {
            writeBody(c, request);
            int status = c.getResponseCode();
            return new HttpResponse(status, headers(c), Bodies.readCapped(body(c, status)));
        } catch (IOException e) {
            throw bound.expired() ? new InterruptedIOException("timeout") : e;
        } finally {
            bound.cancel();
            c.disconnect();
        }
    }

    @Override
    public HttpResponse download(HttpRequest request, Path target) throws IOException {
        HttpURLConnection c = open(request);
        try {
            writeBody(c, request);
            int status = c.getResponseCode();
            if (status < 200 || status >= 300) {
                return new HttpResponse(status, headers(c), Bodies.readCapped(body(c, status)));
            }
            try (InputStream in = c.getInputStream(); OutputStream out = Files.newOutputStream(target)) {
                in.transferTo(out);
            }
            return new HttpResponse(status, headers(c), new byte[0]);
        } finally {
            c.disconnect();
        }
    }

    private HttpURLConnection open(HttpRequest request) throws IOException {
        URI uri = URI.create(request.url());
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IOException("unsupported URL scheme: " + scheme);
        }
        URL url = uri.toURL();
        List<Proxy> proxy = proxies.select(uri);
        HttpURLConnection c = (HttpURLConnection) url.openConnection(proxy.isEmpty() ? Proxy.NO_PROXY : proxy.get(0));
        if (c instanceof HttpsURLConnection && sslSocketFactory != null) {
            ((HttpsURLConnection) c).setSSLSocketFactory(sslSocketFactory);
        }
        // Redirects could carry a bearer header to another host; OAuth endpoints never redirect.
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        c.setConnectTimeout(millis(options.connectTimeout()));
        c.setReadTimeout(millis(options.readTimeout()));
        c.setRequestMethod(request.method());
        c.setRequestProperty("User-Agent", userAgent);
        for (Map.Entry<String, String> e : options.headers().entrySet()) {
            c.setRequestProperty(e.getKey(), e.getValue());
        }
        for (Map.Entry<String, String> e : headerCommand.headers().entrySet()) {
            c.setRequestProperty(e.getKey(), e.getValue());
        }
        for (Map.Entry<String, String> e : request.headers().entrySet()) {
            c.setRequestProperty(e.getKey(), e.getValue());
        }
        return c;
    }

    private static void writeBody(HttpURLConnection c, HttpRequest request) throws IOException {
        byte[] body = request.body();
        if (body == null && (request.method().equals("POST") || request.method().equals("PUT"))) {
            body = new byte[0];
        }
        if (body == null) {
            return;
        }
        if (request.contentType() != null) {
            c.setRequestProperty("Content-Type", request.contentType());
        }
        // Buffered, not streaming mode: in streaming mode a 401 (an OAuth invalid_client) surfaces
        // as HttpRetryException instead of the response the OAuth client must see.
        c.setDoOutput(true);
        try (OutputStream out = c.getOutputStream()) {
            out.write(body);
        }
    }

    private static InputStream body(HttpURLConnection c, int status) throws IOException {
        if (status >= 400) {
            InputStream err = c.getErrorStream();
            return err == null ? InputStream.nullInputStream() : err;
        }
        return c.getInputStream();
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }

    private static Map<String, List<String>> headers(HttpURLConnection c) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : c.getHeaderFields().entrySet()) {
            if (e.getKey() != null) { // the status line
                out.put(e.getKey().toLowerCase(Locale.ROOT), List.copyOf(e.getValue()));
            }
        }
        return out;
    }

    /** A bound on the whole call: disconnects the connection when it runs out (a daemon timer). */
    private static final class CallBound extends TimerTask {
        private final HttpURLConnection connection;
        private final Timer timer;
        private volatile boolean expired;

        private CallBound(HttpURLConnection connection, Timer timer) {
            this.connection = connection;
            this.timer = timer;
        }

        static CallBound start(HttpURLConnection connection, Duration timeout) {
            CallBound b = new CallBound(connection, new Timer("coder-ssh-call-timeout", true));
            b.timer.schedule(b, Math.max(1, timeout.toMillis()));
            return b;
        }

        @Override
        public void run() {
            expired = true;
            connection.disconnect();
        }

        boolean expired() {
            return expired;
        }

        @Override
        public boolean cancel() {
            timer.cancel();
            return super.cancel();
        }
    }
}
