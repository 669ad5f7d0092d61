package dev.coderssh.realcoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** JSON over HTTP to a real coderd, as the owner: the calls the fixture seeds with. */
public final class Api {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(60))
      .followRedirects(false).build();
  private final String url;
  private volatile String token;

  public Api(String url) {
    this.url = url;
  }

  public Api withToken(String sessionToken) {
    this.token = sessionToken;
    return this;
  }

  /** One answer: the status and the body parsed as JSON (null when it is not JSON). */
  public record Answer(int status, JsonNode body, String text) {
    public JsonNode ok() throws IOException {
      if (status / 100 != 2) {
        throw new IOException("HTTP " + status + ": " + text);
      }
      return body;
    }
  }

  public Answer get(String path) throws IOException {
    return send(new Request.Builder().url(url + path).get());
  }

  public Answer post(String path, Object body) throws IOException {
    return send(new Request.Builder().url(url + path).post(json(body)));
  }

  public Answer put(String path, Object body) throws IOException {
    return send(new Request.Builder().url(url + path).put(json(body)));
  }

  public Answer delete(String path) throws IOException {
    return send(new Request.Builder().url(url + path).delete());
  }

  public Answer postBytes(String path, String contentType, byte[] body) throws IOException {
    return send(new Request.Builder().url(url + path).post(RequestBody.create(body, MediaType.get(contentType))));
  }

  private static RequestBody json(Object body) throws IOException {
    return RequestBody.create(JSON.writeValueAsBytes(body), JSON_TYPE);
  }

  private Answer send(Request.Builder b) throws IOException {
    if (token != null) {
      b.header("Coder-Session-Token", token);
    }
    try (Response r = http.newCall(b.build()).execute()) {
      String text = r.body() == null ? "" : r.body().string();
      JsonNode node = null;
      try {
        node = text.isEmpty() ? null : JSON.readTree(text);
      } catch (IOException notJson) {
        node = null;
      }
      return new Answer(r.code(), node, text);
    }
  }
}
