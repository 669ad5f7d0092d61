package dev.coderssh.sandbox.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Minimal HTTP for the stand-in CLI: java.net.HttpURLConnection, session token in a header. */
final class CliHttp {
  private final String base;
  private final String token;
  private final Map<String, String> headers;

  record Response(int status, String body) {
    Map<String, Object> json() {
      try {
        return MiniJson.obj(MiniJson.parse(body));
      } catch (IllegalArgumentException e) {
        return Map.of();
      }
    }
  }

  CliHttp(String base, String token, Map<String, String> headers) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.token = token;
    this.headers = headers;
  }

  Response get(String path) throws IOException {
    return call("GET", path, null);
  }

  Response post(String path, String json) throws IOException {
    return call("POST", path, json);
  }

  private Response call(String method, String path, String json) throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL(base + path).openConnection();
    c.setRequestMethod(method);
    c.setConnectTimeout(10_000);
    c.setReadTimeout(30_000);
    c.setInstanceFollowRedirects(false);
    headers.forEach(c::setRequestProperty);
    c.setRequestProperty("Coder-Session-Token", token);
    c.setRequestProperty("Accept", "application/json");
    if (json != null) {
      c.setDoOutput(true);
      c.setRequestProperty("Content-Type", "application/json");
      try (OutputStream out = c.getOutputStream()) {
        out.write(json.getBytes(StandardCharsets.UTF_8));
      }
    }
    int status = c.getResponseCode();
    InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (in != null) {
      try (in) {
        in.transferTo(body);
      }
    }
    return new Response(status, body.toString(StandardCharsets.UTF_8));
  }
}
