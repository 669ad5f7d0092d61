package dev.coderssh.sandbox.browser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code dev/sandbox-browser URL}: a scripted person at a browser, for use as {@code $BROWSER}.
 * Opens the URL, signs in as the demo user, clicks Allow (or Cancel, with
 * {@code SANDBOX_BROWSER_ACTION=deny}), and follows the redirect to the loopback callback. With
 * {@code =token} it follows "Generate a token" and prints the token on stdout. Progress goes to
 * stderr and never shows a code or a token.
 */
public final class SandboxBrowser {
  private static final Pattern FORM = Pattern.compile("<form id=\"([\\w-]+)\" method=\"POST\" action=\"([^\"]*)\">(.*?)</form>", Pattern.DOTALL);
  private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");
  private static final Pattern LINK = Pattern.compile("<a id=\"([\\w-]+)\" href=\"([^\"]*)\">");
  private static final Pattern TOKEN = Pattern.compile("<code id=\"session-token\">([^<]+)</code>");
  private final Map<String, String> cookies = new LinkedHashMap<>();
  private final String action;
  private final String user;
  private final String password;
  private URI origin;
  private boolean signedIn;

  private record Page(URI uri, int status, String body, String location) {
  }

  SandboxBrowser(String action, String user, String password) {
    this.action = action;
    this.user = user;
    this.password = password;
  }

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: sandbox-browser URL   (SANDBOX_BROWSER_ACTION=allow|deny|token|remote)");
      System.exit(2);
    }
    String action = System.getenv().getOrDefault("SANDBOX_BROWSER_ACTION", "allow");
    String user = System.getenv().getOrDefault("SANDBOX_USER", "demo");
    String password = System.getenv().getOrDefault("SANDBOX_PASSWORD", "sandbox-demo-password");
    try {
      String token = new SandboxBrowser(action, user, password).run(URI.create(args[0]));
      if (token != null) {
        System.out.println(token);
        System.out.flush();
      }
      System.exit(0);
    } catch (IOException | RuntimeException e) {
      log("failed: " + e.getMessage());
      System.exit(1);
    }
  }

  /** Returns the generated token for the token action, the redirect for remote, else null. */
  String run(URI start) throws IOException {
    if (!List.of("allow", "deny", "token", "remote").contains(action)) {
      throw new IOException("unknown SANDBOX_BROWSER_ACTION " + action);
    }
    origin = start.resolve("/");
    log("opening " + start.getPath());
    Page page = follow(start);
    for (int steps = 0; steps < 10; steps++) {
      Matcher token = TOKEN.matcher(page.body());
      if (token.find()) {
        log("the page shows a generated session token");
        return token.group(1).trim();
      }
      Map<String, String[]> forms = forms(page.body());
      if (forms.containsKey("login")) {
        if (action.equals("token") && !String.valueOf(page.uri().getRawQuery()).contains("cli-auth")) {
          log("clicking \"Can't authenticate? Generate a token\"");
          page = follow(page.uri().resolve(link(page, "generate-token")));
          continue;
        }
        if (signedIn) {
          throw new IOException("sign-in was refused (status " + page.status() + ")");
        }
        log("signing in as " + user);
        String[] f = forms.get("login");
        page = post(page.uri().resolve(unescape(f[0])), f[1] + "&username=" + enc(user) + "&password=" + enc(password));
        signedIn = true;
        continue;
      }
      if (forms.containsKey("allow")) {
        if (action.equals("deny")) {
          log("clicking Cancel");
          return callback(page.uri().resolve(link(page, "cancel")));
        }
        if (action.equals("token")) {
          throw new IOException("reached a consent page; the token action needs the login page");
        }
        log("clicking Allow");
        String[] f = forms.get("allow");
        Page answer = request(page.uri().resolve(unescape(f[0])), "POST", f[1]);
        if (answer.location() == null) {
          throw new IOException("Allow was answered with status " + answer.status());
        }
        URI target = answer.uri().resolve(answer.location());
        if (action.equals("remote")) {
          // A browser on another machine: 127.0.0.1 there is not login's listener, so the page
          // cannot connect and the person copies the address bar instead.
          log("the redirect to " + target.getScheme() + "://" + target.getAuthority() + " cannot connect here");
          return target.toString();
        }
        return callback(target);
      }
      throw new IOException("unexpected page (status " + page.status() + ") at " + page.uri().getPath() + ": "
          + title(page.body()));
    }
    throw new IOException("too many steps");
  }

  private String callback(URI target) throws IOException {
    log("following the redirect to " + target.getScheme() + "://" + target.getAuthority() + target.getPath());
    Page p = request(target, "GET", null);
    log("the callback answered " + p.status());
    return null;
  }

  /** GETs and follows redirects within the deployment; a redirect elsewhere is the callback. */
  private Page follow(URI uri) throws IOException {
    Page p = request(uri, "GET", null);
    for (int i = 0; i < 10 && p.location() != null; i++) {
      URI next = p.uri().resolve(p.location());
      if (!sameOrigin(next)) {
        callback(next);
        return new Page(next, 200, "", null);
      }
      p = request(next, "GET", null);
    }
    return p;
  }

  private Page post(URI uri, String form) throws IOException {
    Page p = request(uri, "POST", form);
    return p.location() == null ? p : follow(p.uri().resolve(p.location()));
  }

  private Page request(URI uri, String method, String form) throws IOException {
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
    c.setInstanceFollowRedirects(false);
    c.setConnectTimeout(10_000);
    c.setReadTimeout(30_000);
    c.setRequestMethod(method);
    if (sameOrigin(uri) && !cookies.isEmpty()) {
      StringBuilder b = new StringBuilder();
      cookies.forEach((k, v) -> b.append(b.length() == 0 ? "" : "; ").append(k).append('=').append(v));
      c.setRequestProperty("Cookie", b.toString());
    }
    if (form != null) {
      c.setDoOutput(true);
      c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
      try (OutputStream out = c.getOutputStream()) {
        out.write(form.getBytes(StandardCharsets.UTF_8));
      }
    }
    int status = c.getResponseCode();
    if (sameOrigin(uri)) {
      // The JDK server spells it "Set-cookie": header names are case-insensitive.
      for (Map.Entry<String, java.util.List<String>> h : c.getHeaderFields().entrySet()) {
        if (h.getKey() == null || !h.getKey().equalsIgnoreCase("Set-Cookie")) {
          continue;
        }
        for (String sc : h.getValue()) {
        String pair = sc.split(";", 2)[0];
        int eq = pair.indexOf('=');
        if (eq > 0) {
          cookies.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        }
      }
    }
    InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (in != null) {
      try (in) {
        in.transferTo(body);
      }
    }
    String location = status >= 300 && status < 400 ? c.getHeaderField("Location") : null;
    return new Page(uri, status, body.toString(StandardCharsets.UTF_8), location);
  }

  private boolean sameOrigin(URI u) {
    return u.getScheme().equals(origin.getScheme()) && u.getHost().equals(origin.getHost())
        && u.getPort() == origin.getPort();
  }

  /** Form id -> {action, url-encoded hidden fields}. */
  private static Map<String, String[]> forms(String html) {
    Map<String, String[]> out = new LinkedHashMap<>();
    Matcher m = FORM.matcher(html);
    while (m.find()) {
      StringBuilder fields = new StringBuilder();
      Matcher h = HIDDEN.matcher(m.group(3));
      while (h.find()) {
        fields.append(fields.length() == 0 ? "" : "&").append(enc(unescape(h.group(1)))).append('=')
            .append(enc(unescape(h.group(2))));
      }
      out.put(m.group(1), new String[] {m.group(2), fields.toString()});
    }
    return out;
  }

  private static String link(Page page, String id) throws IOException {
    Matcher m = LINK.matcher(page.body());
    while (m.find()) {
      if (m.group(1).equals(id)) {
        return unescape(m.group(2));
      }
    }
    throw new IOException("no link \"" + id + "\" on " + page.uri().getPath());
  }

  /** The page's heading and first paragraph (a plain 400 page says why there, e.g. "must be a subset of"). */
  private static String title(String html) {
    Matcher m = Pattern.compile("<h1>(.*?)</h1>", Pattern.DOTALL).matcher(html);
    Matcher p = Pattern.compile("<p>(.*?)</p>", Pattern.DOTALL).matcher(html);
    String heading = m.find() ? m.group(1) : "(no title)";
    return p.find() ? heading + ": " + unescape(p.group(1).replaceAll("<[^>]*>", "")) : heading;
  }

  private static String unescape(String s) {
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
        .replace("&amp;", "&");
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static void log(String line) {
    System.err.println("sandbox-browser: " + line);
  }
}
