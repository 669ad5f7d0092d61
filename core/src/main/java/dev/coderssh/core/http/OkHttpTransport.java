package dev.coderssh.core.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
    static final long BODY_CAP = Bodies.CAP;
    private final OkHttpClient client;
    private final String userAgent;
    private final HttpOptions options;
    private final Map<String, String> env;
    private final HeaderCommand headerCommand;

    OkHttpTransport(HttpOptions options, String version, Map<String, String> env) throws IOException {
        this.options = options;
        this.env = env;
        this.userAgent = "coder-ssh/" + version;
        this.headerCommand = new HeaderCommand(options.headerCommand());
        OkHttpClient.Builder b = new OkHttpClient.Builder()
                .connectTimeout(options.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(options.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .writeTimeout(options.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .callTimeout(options.readTimeout().toMillis() * 2, TimeUnit.MILLISECONDS)
                // Redirects could carry a bearer header to another host; OAuth endpoints never redirect.
                .followRedirects(false)
                .followSslRedirects(false)
                .proxySelector(new EnvProxySelector(env));
        TlsMaterial.Custom tls = TlsMaterial.custom(options);
        if (tls != null) {
            b.sslSocketFactory(tls.socketFactory(), tls.trustManager());
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
        for (Map.Entry<String, String> e : headerCommand.headers().entrySet()) {
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

    private static Map<String, List<String>> headers(Headers headers) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String name : headers.names()) {
            out.put(name.toLowerCase(Locale.ROOT), List.copyOf(headers.values(name)));
        }
        return out;
    }

    private static byte[] readCapped(ResponseBody body) throws IOException {
        return Bodies.readCapped(body.byteStream());
    }
}
