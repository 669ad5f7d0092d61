package dev.coderssh.core.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The loopback receiver under hostile load: floods, junk and slow clients do not stop the real callback. */
class LoopbackReceiverTest {
    static final String STATE = "s".repeat(43);
    static final int FLOOD = 1000;

    /** What a hostile local process or page might send; none may complete or cancel the sign-in. */
    static final String[] JUNK = {
        "GET /callback?code=evil&state=wrong HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /callback?code=evil HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /callback?error=access_denied&state=wrong HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /callback?error=access_denied HTTP/1.1\r\n\r\n",
        "POST /callback?code=evil&state=" + STATE + " HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello",
        "GET /other?code=evil&state=" + STATE + " HTTP/1.1\r\n\r\n",
        "GET /callback?state=" + STATE + " HTTP/1.1\r\n\r\n", // neither code nor error
        "\u0000\u0001garbage\r\n\r\n",
        "GET /callback?code=evil&state=" + STATE + "\r\n\r\n", // HTTP/0.9 style
        "GET /callback?" + "x".repeat(9000), // over the head cap
    };

    @Test
    void aThousandHostileConnectionsDoNotBlockTheRealCallback() throws Exception {
        LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
        List<Socket> sockets = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (LoopbackReceiver r = new LoopbackReceiver(STATE, events)) {
            String cb = r.redirectUri();
            int port = Integer.parseInt(cb.replaceAll(".*:(\\d+)/.*", "$1"));
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < FLOOD; i++) {
                Socket s = new Socket(InetAddress.getByName("127.0.0.1"), port);
                sockets.add(s);
                OutputStream out = s.getOutputStream();
                if (i % 2 == 0) {
                    // Slow clients: a request line that never ends.
                    out.write("GET /callback?state=".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } else {
                    String junk = JUNK[(i / 2) % JUNK.length];
                    answers.add(pool.submit(() -> exchange(s, junk)));
                }
            }
            for (Future<String> f : answers) {
                String status = f.get(60, TimeUnit.SECONDS);
                // An error status, or the connection dropped (the oldest go when the flood exceeds the cap).
                assertThat(status).isIn("400", "404", "405", "431", "dropped");
            }
            assertThat(answers).extracting(f -> f.get()).contains("400", "404", "405");
            assertThat(events).as("nothing completed or cancelled the sign-in").isEmpty();

            // With all that still connected, the real redirect goes through at once.
            Future<Integer> real = pool.submit(() -> status(cb + "?code=thecode&state=" + STATE));
            Object event = events.poll(60, TimeUnit.SECONDS);
            assertThat(event).isEqualTo(new CallbackResult.Code("thecode"));
            r.showPage("<p>ok</p>");
            assertThat(real.get(60, TimeUnit.SECONDS)).isEqualTo(200);
            // A second matching callback after success changes nothing.
            assertThat(status(cb + "?code=again&state=" + STATE)).isEqualTo(400);
            assertThat(events).isEmpty();
        } finally {
            pool.shutdownNow();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    @Test
    void bindsOnlyToLoopbackAndClosesWithTheFlow() throws Exception {
        String cb;
        int port;
        try (LoopbackReceiver r = new LoopbackReceiver(STATE, new LinkedBlockingQueue<>())) {
            cb = r.redirectUri();
            port = Integer.parseInt(cb.replaceAll(".*:(\\d+)/.*", "$1"));
            assertThat(cb).startsWith("http://127.0.0.1:");
            // 127.0.0.2 is this machine too, but not the address bound: a wildcard bind would answer.
            assertThatThrownBy(() -> new Socket(InetAddress.getByName("127.0.0.2"), port).close())
                    .isInstanceOf(ConnectException.class);
            try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
                assertThat(s.isConnected()).isTrue();
            }
        }
        assertThatThrownBy(() -> new Socket(InetAddress.getByName("127.0.0.1"), port).close())
                .isInstanceOf(ConnectException.class);
        assertThat(status(cb + "?code=x&state=" + STATE)).isEqualTo(-1);
    }

    @Test
    void setsNoGlobalSystemProperty() throws Exception {
        try (LoopbackReceiver r = new LoopbackReceiver(STATE, new LinkedBlockingQueue<>())) {
            assertThat(System.getProperty("sun.net.httpserver.maxReqTime")).isNull();
        }
    }

    /** Sends raw bytes, returns the status code of the answer or "dropped". */
    static String exchange(Socket s, String request) {
        try {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            return answer.startsWith("HTTP/1.1 ") ? answer.substring(9, 12) : "dropped";
        } catch (IOException e) {
            return "dropped";
        }
    }

    static int status(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
            c.setConnectTimeout(5000);
            c.setReadTimeout(30000);
            int s = c.getResponseCode();
            c.disconnect();
            return s;
        } catch (IOException e) {
            return -1;
        }
    }
}
