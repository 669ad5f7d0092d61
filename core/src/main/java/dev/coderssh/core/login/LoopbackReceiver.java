package dev.coderssh.core.login;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The loopback redirect receiver of RFC 8252 section 7.3, bound to 127.0.0.1 on an ephemeral port
 * (or the fixed one a client's registered callback URL names). It accepts exactly one GET of its
 * callback path whose {@code state} matches; anything else (other path,
 * other method, missing or wrong state, a second callback) gets an error page and changes nothing,
 * so a hostile page or local process cannot complete or cancel the sign-in.
 *
 * <p>One thread and non-blocking sockets rather than the JDK's HttpServer: there a client that
 * never finishes its request line holds a handler thread until a JVM-wide timer
 * ({@code sun.net.httpserver.maxReqTime}, a global system property) cuts it off, so a thousand
 * of them starve the real redirect. Here a slow client only holds a small buffer; request heads
 * are capped, idle ones are closed, and past {@link #MAX_CONNECTIONS} the oldest is dropped. No
 * server library for the same reason: this serves one request, and must survive a flood meanwhile.
 */
public final class LoopbackReceiver implements AutoCloseable {
    static final int MAX_CONNECTIONS = 512;
    static final int MAX_HEAD = 8 * 1024;
    /** An incomplete request silent this long is closed; a browser sends its request at once. */
    static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(10);
    private final String state;
    private final String path;
    private final BlockingQueue<Object> events;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final Thread thread;
    private final AtomicBoolean done = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch delivered = new CountDownLatch(1);
    /** Insertion order = age, for dropping the oldest connection. */
    private final Set<SelectionKey> open = new LinkedHashSet<>();
    private volatile String page;
    private volatile boolean closing;
    private SelectionKey accepted;

    /**
     * @param events where the one accepted {@link CallbackResult} is put (shared with the
     *               token-paste reader, so the flow waits on one queue)
     */
    public LoopbackReceiver(String state, BlockingQueue<Object> events) throws IOException {
        this(state, events, 0, "/callback");
    }

    /**
     * @param port 0 for an ephemeral port
     * @param path the callback path, e.g. {@code /callback}
     */
    public LoopbackReceiver(String state, BlockingQueue<Object> events, int port, String path) throws IOException {
        this.state = state;
        this.path = path;
        this.events = events;
        this.selector = Selector.open();
        this.server = ServerSocketChannel.open();
        try {
            server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 1024);
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            server.close();
            selector.close();
            throw e;
        }
        this.thread = new Thread(this::loop, "coder-ssh-callback");
        thread.setDaemon(true);
        thread.start();
    }

    /** The redirect URI to send: the exact one this receiver listens on. */
    public String redirectUri() {
        return "http://127.0.0.1:" + server.socket().getLocalPort() + path;
    }

    /** The page shown for the accepted callback (confirmation or error); never a token. */
    public void showPage(String html) {
        if (page == null) {
            page = html;
        }
        selector.wakeup();
    }

    private static final class Conn {
        final ByteBuffer in = ByteBuffer.allocate(MAX_HEAD);
        ByteBuffer out;
        long lastActive = System.nanoTime();
        boolean awaitingPage;
    }

    private void loop() {
        try {
            while (!closing) {
                selector.select(1000);
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    try {
                        if (!k.isValid()) {
                            continue;
                        }
                        if (k.isAcceptable()) {
                            acceptSome();
                        } else if (k.isReadable()) {
                            read(k);
                        } else if (k.isWritable()) {
                            write(k);
                        }
                    } catch (IOException | RuntimeException e) {
                        if (k.channel() instanceof SocketChannel) {
                            drop(k); // one broken client never stops the receiver
                        } else {
                            pause(); // accept failed (out of file descriptors?): keep listening
                        }
                    }
                }
                deliverPage();
                closeIdle();
            }
        } catch (IOException | RuntimeException e) {
            // The selector itself failed: the flow times out with its own message.
        } finally {
            for (SelectionKey k : new ArrayList<>(open)) {
                drop(k);
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptSome() throws IOException {
        // A bounded batch per round, so reads of connections already open are not starved.
        for (int i = 0; i < 64; i++) {
            SocketChannel ch = server.accept();
            if (ch == null) {
                return;
            }
            ch.configureBlocking(false);
            SelectionKey k = ch.register(selector, SelectionKey.OP_READ, new Conn());
            open.add(k);
            if (open.size() > MAX_CONNECTIONS) {
                for (SelectionKey oldest : open) {
                    if (oldest != accepted) {
                        drop(oldest);
                        break;
                    }
                }
            }
        }
    }

    private void read(SelectionKey k) throws IOException {
        Conn c = (Conn) k.attachment();
        SocketChannel ch = (SocketChannel) k.channel();
        int n = ch.read(c.in);
        if (n < 0) {
            drop(k);
            return;
        }
        c.lastActive = System.nanoTime();
        String head = new String(c.in.array(), 0, c.in.position(), StandardCharsets.ISO_8859_1);
        int end = head.indexOf("\r\n\r\n");
        if (end < 0) {
            if (!c.in.hasRemaining()) {
                respond(k, 431, Pages.message("Request too large", "This address only accepts the sign-in redirect."));
            }
            return;
        }
        handle(k, head.substring(0, head.indexOf("\r\n")));
    }

    /** The callback logic; the request body (if any) is never read. */
    private void handle(SelectionKey k, String requestLine) throws IOException {
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            respond(k, 400, Pages.message("Bad request", "This address only accepts the sign-in redirect."));
            return;
        }
        if (!parts[0].equals("GET")) {
            respond(k, 405, Pages.message("Method not allowed", "This address only accepts the sign-in redirect."));
            return;
        }
        String target = parts[1];
        int qm = target.indexOf('?');
        String path = qm < 0 ? target : target.substring(0, qm);
        if (!path.equals(this.path)) {
            respond(k, 404, Pages.message("Not found", "This address only accepts the sign-in redirect."));
            return;
        }
        Map<String, String> q = query(qm < 0 ? null : target.substring(qm + 1));
        String got = q.get("state");
        if (got == null && "access_denied".equals(q.get("error")) && q.get("code") == null) {
            // Coder 2.25's Cancel link carries no state (seen on the real server; 2.36 adds it).
            // Unverified, it must not end the sign-in (any local process could send it), so the
            // person who pressed Cancel is told here, in the browser they are looking at.
            respond(k, 400, Pages.message("Cancelled, but not verified",
                    "The server sent a cancellation without this sign-in's state, so coder-ssh cannot tell it"
                    + " came from your sign-in and keeps waiting. Press Ctrl-C in the terminal to stop it."));
            return;
        }
        if (got == null || !MessageDigest.isEqual(got.getBytes(StandardCharsets.UTF_8), state.getBytes(StandardCharsets.UTF_8))) {
            respond(k, 400, Pages.message("Sign-in link not recognised",
                    "This link does not belong to the sign-in coder-ssh is waiting for. It was ignored."));
            return;
        }
        CallbackResult result;
        if (q.get("code") != null && !q.get("code").isEmpty()) {
            result = new CallbackResult.Code(q.get("code"));
        } else if (q.get("error") != null) {
            result = new CallbackResult.Error(q.get("error"), q.get("error_description"));
        } else {
            respond(k, 400, Pages.message("Incomplete redirect", "Neither a code nor an error was given. It was ignored."));
            return;
        }
        if (!done.compareAndSet(false, true)) {
            respond(k, 400, Pages.message("Already used", "This sign-in has already been completed or ended."));
            return;
        }
        // The browser waits for the flow's verdict (signed in as ..., or the error).
        accepted = k;
        ((Conn) k.attachment()).awaitingPage = true;
        k.interestOps(0);
        events.offer(result);
    }

    private void deliverPage() throws IOException {
        String html = page;
        if (html == null || accepted == null || !((Conn) accepted.attachment()).awaitingPage) {
            return;
        }
        ((Conn) accepted.attachment()).awaitingPage = false;
        respond(accepted, 200, html);
    }

    private void respond(SelectionKey k, int status, String html) throws IOException {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + reason(status) + "\r\n"
                + "Content-Type: text/html; charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Cache-Control: no-store\r\n"
                + "Referrer-Policy: no-referrer\r\n"
                + "X-Frame-Options: DENY\r\n"
                + "Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'\r\n"
                + "Connection: close\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(h.length + body.length).put(h).put(body);
        out.flip();
        ((Conn) k.attachment()).out = out;
        k.interestOps(SelectionKey.OP_WRITE);
        write(k);
    }

    private void write(SelectionKey k) throws IOException {
        Conn c = (Conn) k.attachment();
        ((SocketChannel) k.channel()).write(c.out);
        c.lastActive = System.nanoTime();
        if (!c.out.hasRemaining()) {
            if (k == accepted) {
                delivered.countDown();
            }
            drop(k);
        }
    }

    private void closeIdle() {
        long now = System.nanoTime();
        for (SelectionKey k : new ArrayList<>(open)) {
            Conn c = (Conn) k.attachment();
            if (k != accepted && now - c.lastActive > IDLE_NANOS) {
                drop(k);
            }
        }
    }

    private void drop(SelectionKey k) {
        if (k == accepted) {
            delivered.countDown(); // delivered or the browser went away: either way, nothing to wait for
        }
        open.remove(k);
        k.cancel();
        try {
            k.channel().close();
        } catch (IOException e) {
            // already gone
        }
    }

    private static String reason(int status) {
        switch (status) {
            case 200: return "OK";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 431: return "Request Header Fields Too Large";
            default: return "Bad Request";
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

    /** Stops listening; the accepted callback's page reaches the browser first (bounded). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return; // a listener replaced by one on another port is closed twice
        }
        if (done.get()) {
            showPage(Pages.message("coder-ssh", "Return to your terminal."));
            try {
                delivered.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closing = true;
        selector.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            server.close();
            selector.close();
        } catch (IOException e) {
            // nothing more to release
        }
    }
}
