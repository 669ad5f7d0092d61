package dev.coderssh.sandbox.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small helpers over the JDK HTTP server: parameters, cookies, and responses in coderd's shapes. */
public final class Http {
  /** Jackson is configured once and never changed afterwards, so sharing it is safe. */
  public static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY = 1 << 20;

  private Http() {
  }

  public static Map<String, String> query(HttpExchange ex) {
    return parseForm(ex.getRequestURI().getRawQuery());
  }

  /** First value wins, as Go's url.Values.Get does. */
  public static Map<String, String> parseForm(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = decode(eq < 0 ? pair : pair.substring(0, eq));
      String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
      out.putIfAbsent(k, v);
    }
    return out;
  }

  public static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  public static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  public static byte[] body(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0) {
        if (out.size() + n > MAX_BODY) {
          throw new IOException("request body too large");
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    }
  }

  public static Map<String, String> form(HttpExchange ex) throws IOException {
    return parseForm(new String(body(ex), StandardCharsets.UTF_8));
  }

  public static String cookie(HttpExchange ex, String name) {
    for (String header : ex.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
      for (String part : header.split(";")) {
        String p = part.trim();
        if (p.startsWith(name + "=")) {
          return p.substring(name.length() + 1);
        }
      }
    }
    return null;
  }

  public static void json(HttpExchange ex, int status, Object body) throws IOException {
    send(ex, status, "application/json", JSON.writeValueAsBytes(body));
  }

  /** coderd's error shape. */
  public static void message(HttpExchange ex, int status, String message, String detail) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("message", message);
    if (detail != null) {
      m.put("detail", detail);
    }
    json(ex, status, m);
  }

  /** RFC 6749 section 5.2 error shape. */
  public static void oauthError(HttpExchange ex, int status, String error, String description) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", error);
    if (description != null) {
      m.put("error_description", description);
    }
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    json(ex, status, m);
  }

  public static void notFound(HttpExchange ex) throws IOException {
    message(ex, 404, "Route not found.", null);
  }

  public static void html(HttpExchange ex, int status, String html) throws IOException {
    send(ex, status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
  }

  public static void redirect(HttpExchange ex, String location) throws IOException {
    ex.getResponseHeaders().set("Location", location);
    ex.sendResponseHeaders(302, -1);
    ex.close();
  }

  public static void send(HttpExchange ex, int status, String contentType, byte[] bytes) throws IOException {
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
    ex.close();
  }

  public static String esc(String s) {
    if (s == null) {
      return "";
    }
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
        .replace("'", "&#39;");
  }

  /** The access URL as the client reached it; the sandbox only ever binds 127.0.0.1. */
  public static String baseUrl(HttpExchange ex) {
    return "http://127.0.0.1:" + ex.getLocalAddress().getPort();
  }
}
