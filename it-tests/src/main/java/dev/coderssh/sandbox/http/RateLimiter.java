package dev.coderssh.sandbox.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * coderd's rate limit on /oauth2 (httpmw/ratelimit.go over go-chi/httprate): a one-minute window
 * of 60 requests per client IP, the X-RateLimit-* headers on every answer, and on refusal a 429
 * with Retry-After and coder's plain {@code {"message"}} body (not an OAuth error).
 */
public final class RateLimiter {
  private static final Duration WINDOW = Duration.ofMinutes(1);
  private final Clock clock;
  private final int perMinute;
  private final Map<String, Window> windows = new HashMap<>();

  private record Window(Instant start, int count) {
  }

  public RateLimiter(Clock clock, int perMinute) {
    this.clock = clock;
    this.perMinute = perMinute;
  }

  /** True when the request may go ahead; false once the 429 has been written. */
  public boolean admit(HttpExchange ex, String ip) throws IOException {
    Instant now = clock.instant();
    Window w;
    boolean allowed;
    synchronized (this) {
      w = windows.get(ip);
      if (w == null || !now.isBefore(w.start().plus(WINDOW))) {
        w = new Window(now, 0);
      }
      allowed = w.count() < perMinute;
      if (allowed) {
        w = new Window(w.start(), w.count() + 1);
      }
      windows.put(ip, w);
    }
    Instant reset = w.start().plus(WINDOW);
    ex.getResponseHeaders().set("X-RateLimit-Limit", Integer.toString(perMinute));
    ex.getResponseHeaders().set("X-RateLimit-Remaining", Integer.toString(Math.max(0, perMinute - w.count())));
    ex.getResponseHeaders().set("X-RateLimit-Reset", Long.toString(reset.getEpochSecond()));
    if (allowed) {
      return true;
    }
    ex.getResponseHeaders().set("Retry-After", Long.toString(Math.max(1, Duration.between(now, reset).toSeconds())));
    Http.message(ex, 429, "You've been rate limited for sending more than " + perMinute + " requests in "
        + goDuration(WINDOW) + ".", null);
    return false;
  }

  public synchronized void reset() {
    windows.clear();
  }

  /** Go's time.Duration String() for whole seconds: 1m0s, 30s, 1h0m0s. */
  static String goDuration(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m" + s % 60 + "s";
    }
    return s / 3600 + "h" + s % 3600 / 60 + "m" + s % 60 + "s";
  }
}
