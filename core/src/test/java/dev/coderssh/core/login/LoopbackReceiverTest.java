package dev.coderssh.core.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
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

/** The loopback receiver under hostile load: junk floods and slow clients do not stop the real callback. */
class LoopbackReceiverTest {
    static final String STATE = "s".repeat(43);

    @Test
    void floodAndSlowClientsDoNotBlockTheRealCallback() throws Exception {
        LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
        List<Socket> slow = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try (LoopbackReceiver r = new LoopbackReceiver(STATE, events)) {
            String cb = r.redirectUri();
            int port = Integer.parseInt(cb.replaceAll(".*:(\\d+)/.*", "$1"));
            assertThat(cb).startsWith("http://127.0.0.1:");
            for (int i = 0; i < 12; i++) {
                Socket s = new Socket(InetAddress.getByName("127.0.0.1"), port);
                OutputStream out = s.getOutputStream();
                out.write("GET /callback?state=".getBytes(StandardCharsets.US_ASCII)); // never finished
                out.flush();
                slow.add(s);
            }
            List<Future<Integer>> junk = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                final int n = i;
                junk.add(pool.submit(() -> status(cb + "?code=x&state=wrong" + n)));
            }
            for (Future<Integer> f : junk) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isIn(400, -1);
            }
            assertThat(events).isEmpty();
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
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void listenerClosesWithTheFlow() throws Exception {
        String cb;
        try (LoopbackReceiver r = new LoopbackReceiver(STATE, new LinkedBlockingQueue<>())) {
            cb = r.redirectUri();
        }
        assertThat(status(cb + "?code=x&state=" + STATE)).isEqualTo(-1);
    }

    static int status(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
            c.setConnectTimeout(5000);
            c.setReadTimeout(30000);
            int s = c.getResponseCode();
            c.disconnect();
            return s;
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
