package dev.coderssh.core.testing;

import dev.coderssh.core.login.Browser;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A stand-in for the user's browser: fetches the authorize URL (the fake server consents at once)
 * and follows the redirect to the loopback receiver, keeping the page it finally shows. Before
 * that it may run {@link #before} hooks against the callback (hostile requests).
 */
public class FollowingBrowser implements Browser {
    public final CompletableFuture<String> page = new CompletableFuture<>();
    public final List<String> opened = new ArrayList<>();
    public volatile int finalStatus;

    @Override
    public void open(String url) {
        opened.add(url);
        Thread t = new Thread(new Runnable() {
            @Override
            public void run() {
                try {
                    before(url);
                    String location = location(url);
                    if (location == null) {
                        page.complete("no redirect");
                        return;
                    }
                    location = rewriteCallback(location);
                    page.complete(get(location));
                } catch (Exception e) {
                    page.completeExceptionally(e);
                }
            }
        });
        t.setDaemon(true);
        t.start();
    }

    /** Runs before the real redirect is followed. */
    protected void before(String authorizeUrl) throws Exception {
    }

    /** May change the callback URL the server redirected to. */
    protected String rewriteCallback(String location) throws Exception {
        return location;
    }

    /** The Location of the authorize response, without following it. */
    public static String location(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
        c.setInstanceFollowRedirects(false);
        c.getResponseCode();
        String loc = c.getHeaderField("Location");
        c.disconnect();
        return loc;
    }

    public String get(String url) throws IOException {
        return request("GET", url);
    }

    public String request(String method, String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
        c.setRequestMethod(method);
        c.setInstanceFollowRedirects(false);
        int status = c.getResponseCode();
        finalStatus = status;
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        c.disconnect();
        return status + " " + body;
    }

    /** The redirect_uri query parameter of an authorize URL. */
    public static String redirectUri(String authorizeUrl) {
        for (String p : authorizeUrl.substring(authorizeUrl.indexOf('?') + 1).split("&")) {
            if (p.startsWith("redirect_uri=")) {
                return java.net.URLDecoder.decode(p.substring(13), StandardCharsets.UTF_8);
            }
        }
        throw new IllegalArgumentException("no redirect_uri");
    }
}
