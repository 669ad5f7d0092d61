package dev.coderssh.sandbox.faults;

import java.util.Locale;

/** Ways the token endpoint can misbehave; {@code param} meaning is given per kind. */
public enum FaultKind {
  /** Wait {@code param} ms (default 2000), then answer normally. */
  DELAY,
  /** Hold the request {@code param} ms (default 60000), then drop the connection without an answer. */
  HANG,
  /** Drop the connection at once without an answer. */
  RESET,
  /** 500 server_error. */
  STATUS_500,
  /** 503 with {@code Retry-After: param} seconds (default 1). */
  STATUS_503,
  /** 429 temporarily_unavailable with {@code Retry-After: param} seconds (default 1). */
  STATUS_429,
  /** 200 with a truncated JSON body. */
  INVALID_JSON,
  /** 200 with a 10 MB JSON body (param = bytes, default 10 MB) and no token in it. */
  HUGE_BODY,
  /** 200 text/html, like a captive portal. */
  WRONG_CONTENT_TYPE,
  /** The request is processed (tokens rotate) but the answer lacks refresh_token. */
  MISSING_REFRESH_TOKEN,
  /** The request is processed but the answer lacks expires_in. */
  MISSING_EXPIRES_IN;

  public static FaultKind parse(String s) {
    return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
