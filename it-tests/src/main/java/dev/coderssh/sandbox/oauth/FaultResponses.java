package dev.coderssh.sandbox.oauth;

import com.sun.net.httpserver.HttpExchange;
import dev.coderssh.sandbox.Stats;
import dev.coderssh.sandbox.faults.Fault;
import dev.coderssh.sandbox.http.Http;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** How each token-endpoint fault answers; the missing-field faults and DELAY let the request go on. */
final class FaultResponses {
  private FaultResponses() {
  }

  /** True when the fault has answered (or dropped) the request. */
  static boolean answer(HttpExchange ex, Fault f, Stats stats) throws IOException {
    switch (f.kind()) {
      case DELAY -> {
        sleep(f.paramOr(2000));
        return false;
      }
      case HANG -> {
        sleep(f.paramOr(60_000));
        ex.close();
        return true;
      }
      case RESET -> {
        // Closing an exchange before any header is sent closes the TCP connection: the client
        // sees the stream end without a status line.
        ex.close();
        return true;
      }
      case STATUS_500 -> {
        stats.tokenError("server_error");
        Http.oauthError(ex, 500, "server_error", "Injected fault.");
        return true;
      }
      case STATUS_503 -> {
        stats.tokenError("temporarily_unavailable");
        ex.getResponseHeaders().set("Retry-After", Long.toString(f.paramOr(1)));
        Http.oauthError(ex, 503, "temporarily_unavailable", "Injected fault.");
        return true;
      }
      case STATUS_429 -> {
        stats.tokenError("temporarily_unavailable");
        ex.getResponseHeaders().set("Retry-After", Long.toString(f.paramOr(1)));
        Http.oauthError(ex, 429, "temporarily_unavailable", "Rate limit exceeded.");
        return true;
      }
      case INVALID_JSON -> {
        Http.send(ex, 200, "application/json", "{\"access_token\": \"abc\", \"token_type\": ".getBytes(
            StandardCharsets.UTF_8));
        return true;
      }
      case HUGE_BODY -> {
        huge(ex, f.paramOr(10L * 1024 * 1024));
        return true;
      }
      case WRONG_CONTENT_TYPE -> {
        Http.html(ex, 200, "<!doctype html><html><body><h1>Sign in to the network</h1></body></html>\n");
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  private static void huge(HttpExchange ex, long size) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "application/json");
    byte[] head = "{\"padding\":\"".getBytes(StandardCharsets.US_ASCII);
    byte[] tail = "\"}".getBytes(StandardCharsets.US_ASCII);
    long fill = Math.max(0, size - head.length - tail.length);
    ex.sendResponseHeaders(200, head.length + fill + tail.length);
    byte[] chunk = new byte[64 * 1024];
    Arrays.fill(chunk, (byte) 'a');
    // The client may hang up once it has read enough: that is the behaviour under test.
    try (OutputStream out = ex.getResponseBody()) {
      out.write(head);
      for (long left = fill; left > 0; left -= chunk.length) {
        out.write(chunk, 0, (int) Math.min(chunk.length, left));
      }
      out.write(tail);
    } catch (IOException clientGone) {
      // expected when the client caps the body
    }
    ex.close();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
