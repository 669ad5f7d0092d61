package dev.coderssh.realcoder;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * {@code dev/real-coder-browser URL [--deny]}: a scripted person at a browser for {@code $BROWSER}
 * against the real Coder. Signs in as the fixture's owner with the {@code coder_session_token}
 * cookie (a build without the frontend has no login page), opens the real consent page, submits
 * its form with the page's {@code csrf_token} and the cookies it set (nosurf's double submit), or
 * follows Cancel; then follows the redirect to the loopback callback. The owner comes from
 * {@code $CODER_FIXTURE/owner.json}. Progress on stderr; no code or token is printed.
 */
public final class RealCoderBrowser {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf_token\" value=\"([^\"]*)\"");
  private static final Pattern CANCEL = Pattern.compile("<a (?:id=\"cancel-link\" )?href=\"([^\"]*)\">Cancel</a>");
  private final OkHttpClient http = new OkHttpClient.Builder().followRedirects(false).build();
  private final Map<String, String> cookies = new LinkedHashMap<>();

  public static void main(String[] args) {
    List<String> rest = new java.util.ArrayList<>(List.of(args));
    boolean deny = rest.remove("--deny")
        || "deny".equals(System.getenv().getOrDefault("REAL_CODER_BROWSER_ACTION", "allow"));
    String fixture = System.getenv("CODER_FIXTURE");
    if (rest.size() != 1 || fixture == null) {
      System.err.println("usage: CODER_FIXTURE=DIR real-coder-browser URL [--deny]   (DIR as dev/real-coder printed it)");
      System.exit(2);
    }
    try {
      JsonNode owner = Api.JSON.readTree(Files.readString(Path.of(fixture, "owner.json")));
      new RealCoderBrowser().run(URI.create(rest.get(0)), owner.get("session_token").asText(), deny);
      System.exit(0);
    } catch (IOException | RuntimeException e) {
      log(e.getMessage());
      System.exit(1);
    }
  }

  void run(URI authorize, String sessionToken, boolean deny) throws IOException {
    cookies.put("coder_session_token", sessionToken);
    Response page = send(new Request.Builder().url(authorize.toString()).get());
    String html = body(page);
    if (page.code() != 200) {
      throw new IOException("the authorize page answered HTTP " + page.code() + ": " + firstLine(html));
    }
    Request.Builder next;
    if (deny) {
      Matcher m = CANCEL.matcher(html);
      if (!m.find()) {
        throw new IOException("no Cancel link on the consent page");
      }
      log("pressing Cancel");
      // Cancel is a plain link to the redirect URI with error=access_denied.
      next = new Request.Builder().url(authorize.resolve(unescape(m.group(1))).toString()).get();
      finish(send(next));
      return;
    }
    FormBody.Builder form = new FormBody.Builder();
    Matcher m = CSRF.matcher(html);
    if (m.find()) {
      form.add("csrf_token", unescape(m.group(1)));
    }
    log("pressing Allow");
    // A browser submitting the form says where it comes from: nosurf (newer coder) refuses a
    // POST with neither Origin, Referer nor Sec-Fetch-Site, whatever the token.
    String origin = authorize.getScheme() + "://" + authorize.getRawAuthority();
    Response allowed = send(new Request.Builder().url(authorize.toString()).header("Origin", origin)
        .header("Referer", authorize.toString()).header("Sec-Fetch-Site", "same-origin").post(form.build()));
    String text = body(allowed);
    String location = allowed.header("Location");
    if (allowed.code() / 100 != 3 || location == null) {
      throw new IOException("Allow answered HTTP " + allowed.code() + ": " + firstLine(text));
    }
    finish(send(new Request.Builder().url(authorize.resolve(location).toString()).get()));
  }

  /** The loopback callback: coder-ssh's listener answers with its result page. */
  private void finish(Response callback) throws IOException {
    String page = body(callback);
    Matcher title = Pattern.compile("<title>([^<]*)</title>").matcher(page);
    log("callback answered HTTP " + callback.code() + (title.find() ? ": " + title.group(1) : ""));
  }

  private Response send(Request.Builder b) throws IOException {
    if (!cookies.isEmpty()) {
      StringBuilder c = new StringBuilder();
      cookies.forEach((k, v) -> c.append(c.length() == 0 ? "" : "; ").append(k).append('=').append(v));
      b.header("Cookie", c.toString());
    }
    Response r = http.newCall(b.build()).execute();
    for (String set : r.headers("Set-Cookie")) {
      String pair = set.split(";", 2)[0];
      int eq = pair.indexOf('=');
      if (eq > 0) {
        cookies.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
      }
    }
    return r;
  }

  private static String body(Response r) throws IOException {
    try (r) {
      return r.body() == null ? "" : r.body().string();
    }
  }

  private static String unescape(String html) {
    return html.replace("&amp;", "&").replace("&#43;", "+").replace("&#34;", "\"").replace("&#39;", "'")
        .replace("&lt;", "<").replace("&gt;", ">");
  }

  private static String firstLine(String s) {
    String t = s.strip();
    int nl = t.indexOf('\n');
    return (nl < 0 ? t : t.substring(0, nl)).replaceAll("\\p{Cntrl}", "?");
  }

  /** To stderr, and to {@code $REAL_CODER_BROWSER_LOG} when set (a BROWSER's stderr may go nowhere). */
  private static void log(String s) {
    String line = "real-coder-browser: " + s;
    System.err.println(line);
    String file = System.getenv("REAL_CODER_BROWSER_LOG");
    if (file != null) {
      try {
        Files.writeString(Path.of(file), line + "\n", java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND);
      } catch (IOException ignored) {
        // the log is a convenience for tests
      }
    }
  }
}
