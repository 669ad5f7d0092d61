package dev.coderssh.core.login;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The loopback redirect receiver of RFC 8252 section 7.3 on the JDK's HTTP server, bound to
 * 127.0.0.1 on an ephemeral port. It accepts exactly one GET /callback whose {@code state} matches;
 * anything else (other path, other method, missing or wrong state, a second callback) gets an error
 * page and changes nothing, so a hostile page cannot complete or cancel the sign-in. Threads are
 * bounded and slow requests are cut off by the server's request timer.
 */
public final class LoopbackReceiver implements AutoCloseable {
    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final String state;
    private final AtomicBoolean done = new AtomicBoolean();
    private final CompletableFuture<String> page = new CompletableFuture<>();
    private final BlockingQueue<Object> events;
    private final java.util.concurrent.CountDownLatch delivered = new java.util.concurrent.CountDownLatch(1);

    /**
     * @param events where the one accepted {@link CallbackResult} is put (shared with the
     *               token-paste reader, so the flow waits on one queue)
     */
    public LoopbackReceiver(String state, BlockingQueue<Object> events) throws IOException {
        // Read once by the JDK server: cut off clients that never finish their request (seconds).
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", "10");
        }
        this.state = state;
        this.events = events;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
        this.executor = new ThreadPoolExecutor(16, 16, 10, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256),
                new ThreadPoolExecutor.DiscardPolicy());
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The redirect URI to send: Coder ignores the loopback port when matching the registered one. */
    public String redirectUri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/callback";
    }

    /** The page shown for the accepted callback (confirmation or error); never a token. */
    public void showPage(String html) {
        page.complete(html);
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            if (!ex.getRequestMethod().equals("GET")) {
                respond(ex, 405, Pages.message("Method not allowed", "This address only accepts the sign-in redirect."));
                return;
            }
            if (!ex.getRequestURI().getRawPath().equals("/callback")) {
                respond(ex, 404, Pages.message("Not found", "This address only accepts the sign-in redirect."));
                return;
            }
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            String got = q.get("state");
            if (got == null || !MessageDigest.isEqual(got.getBytes(StandardCharsets.UTF_8), state.getBytes(StandardCharsets.UTF_8))) {
                respond(ex, 400, Pages.message("Sign-in link not recognised",
                        "This link does not belong to the sign-in coder-ssh is waiting for. It was ignored."));
                return;
            }
            CallbackResult result;
            if (q.get("code") != null && !q.get("code").isEmpty()) {
                result = new CallbackResult.Code(q.get("code"));
            } else if (q.get("error") != null) {
                result = new CallbackResult.Error(q.get("error"), q.get("error_description"));
            } else {
                respond(ex, 400, Pages.message("Incomplete redirect", "Neither a code nor an error was given. It was ignored."));
                return;
            }
            if (!done.compareAndSet(false, true)) {
                respond(ex, 400, Pages.message("Already used", "This sign-in has already been completed or ended."));
                return;
            }
            events.offer(result);
            String html;
            try {
                html = page.get(60, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                html = Pages.message("coder-ssh", "Return to your terminal.");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                html = Pages.message("coder-ssh", "Return to your terminal.");
            }
            try {
                respond(ex, 200, html);
            } finally {
                delivered.countDown();
            }
        } finally {
            ex.close();
        }
    }

    private static void respond(HttpExchange ex, int status, String html) throws IOException {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        ex.getResponseHeaders().set("X-Frame-Options", "DENY");
        ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /** Parses a raw query string; malformed escapes make the parameter absent, never an exception. */
    static Map<String, String> query(String raw) {
        Map<String, String> m = new HashMap<>();
        if (raw == null) {
            return m;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                k = URLDecoder.decode(k, StandardCharsets.UTF_8);
                v = URLDecoder.decode(v, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                continue;
            }
            // A repeated parameter is suspicious (RFC 6749 3.1): the first wins, later ones are ignored.
            m.putIfAbsent(k, v);
        }
        return m;
    }

    @Override
    public void close() {
        if (done.get()) {
            // Let the accepted callback's page reach the browser before the server goes away.
            try {
                delivered.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        server.stop(0);
        executor.shutdownNow();
    }

}
