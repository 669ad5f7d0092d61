package dev.coderssh.sandbox.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** coderd's OAuth rate limit: a fixed one-minute window of 60 requests per client IP. */
public final class RateLimiter {
  private final Clock clock;
  private final int perMinute;
  private final Map<String, Window> windows = new HashMap<>();

  private record Window(Instant start, int count) {
  }

  public RateLimiter(Clock clock, int perMinute) {
    this.clock = clock;
    this.perMinute = perMinute;
  }

  /** Seconds to wait, or 0 when the request may go ahead. */
  public synchronized long admit(String ip) {
    Instant now = clock.instant();
    Window w = windows.get(ip);
    if (w == null || !now.isBefore(w.start().plus(Duration.ofMinutes(1)))) {
      w = new Window(now, 0);
    }
    if (w.count() >= perMinute) {
      windows.put(ip, w);
      return Math.max(1, Duration.between(now, w.start().plus(Duration.ofMinutes(1))).toSeconds());
    }
    windows.put(ip, new Window(w.start(), w.count() + 1));
    return 0;
  }

  public synchronized void reset() {
    windows.clear();
  }
}
