package dev.coderssh.core.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import okhttp3.Call;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * {@link HttpTransport} over OkHttp. The only class that names OkHttp types, and only loaded when a
 * request is really needed (never on the ProxyCommand's fast path).
 */
final class OkHttpTransport implements HttpTransport {
    static final long BODY_CAP = 4L * 1024 * 1024;
    private final OkHttpClient client;
    private final String userAgent;
    private final HttpOptions options;
    private final Map<String, String> env;
    private Map<String, String> commandHeaders;

    OkHttpTransport(HttpOptions options, String version, Map<String, String> env) throws IOException {
        this.options = options;
        this.env = env;
        this.userAgent = "coder-ssh/" + version;
        OkHttpClient.Builder b = new OkHttpClient.Builder()
                .connectTimeout(options.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(options.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .writeTimeout(options.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .callTimeout(options.readTimeout().toMillis() * 2, TimeUnit.MILLISECONDS)
                // Redirects could carry a bearer header to another host; OAuth endpoints never redirect.
                .followRedirects(false)
                .followSslRedirects(false)
                .proxySelector(new EnvProxySelector(env));
        if (options.caFile() != null || options.clientCertFile() != null) {
            X509TrustManager tm = TlsMaterial.trustManager(options.caFile());
            try {
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(TlsMaterial.keyManagers(options.clientCertFile(), options.clientKeyFile()),
                        new javax.net.ssl.TrustManager[] {tm}, null);
                b.sslSocketFactory(ctx.getSocketFactory(), tm);
            } catch (java.security.GeneralSecurityException e) {
                throw new IOException("cannot set up TLS: " + e.getClass().getSimpleName(), e);
            }
        }
        this.client = b.build();
    }

    @Override
    public HttpResponse send(HttpRequest request) throws IOException {
        return execute(client.newCall(build(request)));
    }

    @Override
    public HttpResponse send(HttpRequest request, java.time.Duration callTimeout) throws IOException {
        Call call = client.newCall(build(request));
        call.timeout().timeout(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
        return execute(call);
    }

    private static HttpResponse execute(Call call) throws IOException {
        try (Response response = call.execute()) {
            return new HttpResponse(response.code(), headers(response.headers()), readCapped(response.body()));
        }
    }

    @Override
    public HttpResponse download(HttpRequest request, Path target) throws IOException {
        try (Response response = client.newCall(build(request)).execute()) {
            if (!response.isSuccessful()) {
                return new HttpResponse(response.code(), headers(response.headers()), readCapped(response.body()));
            }
            try (InputStream in = response.body().byteStream(); OutputStream out = Files.newOutputStream(target)) {
                in.transferTo(out);
            }
            return new HttpResponse(response.code(), headers(response.headers()), new byte[0]);
        }
    }

    private Request build(HttpRequest request) throws IOException {
        Request.Builder b = new Request.Builder().url(request.url()).header("User-Agent", userAgent);
        for (Map.Entry<String, String> e : options.headers().entrySet()) {
            b.header(e.getKey(), e.getValue());
        }
        for (Map.Entry<String, String> e : commandHeaders().entrySet()) {
            b.header(e.getKey(), e.getValue());
        }
        for (Map.Entry<String, String> e : request.headers().entrySet()) {
            b.header(e.getKey(), e.getValue());
        }
        RequestBody body = null;
        if (request.body() != null) {
            body = RequestBody.create(request.body(),
                    request.contentType() == null ? null : MediaType.parse(request.contentType()));
        } else if (request.method().equals("POST") || request.method().equals("PUT")) {
            body = RequestBody.create(new byte[0], null);
        }
        return b.method(request.method(), body).build();
    }

    /** Runs --header-command once per process, as the Coder CLI does: lines of {@code Name=value}. */
    private synchronized Map<String, String> commandHeaders() throws IOException {
        if (commandHeaders != null) {
            return commandHeaders;
        }
        Map<String, String> h = new LinkedHashMap<>();
        if (options.headerCommand() != null && !options.headerCommand().isBlank()) {
            boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
            List<String> cmd = new ArrayList<>(windows ? List.of("cmd.exe", "/c") : List.of("/bin/sh", "-c"));
            cmd.add(options.headerCommand());
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readNBytes(64 * 1024), java.nio.charset.StandardCharsets.UTF_8);
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    p.destroyForcibly();
                    throw new IOException("--header-command failed");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted running --header-command");
            }
            for (String line : out.split("\r?\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    h.put(line.substring(0, eq).strip(), line.substring(eq + 1));
                }
            }
        }
        commandHeaders = h;
        return h;
    }

    private static Map<String, List<String>> headers(Headers headers) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String name : headers.names()) {
            out.put(name.toLowerCase(Locale.ROOT), List.copyOf(headers.values(name)));
        }
        return out;
    }

    /** Buffers at most {@link #BODY_CAP} bytes: a hostile or broken server must not exhaust memory. */
    private static byte[] readCapped(ResponseBody body) throws IOException {
        try (InputStream in = body.byteStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > BODY_CAP) {
                    throw new ResponseTooLargeException(BODY_CAP);
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }
}
