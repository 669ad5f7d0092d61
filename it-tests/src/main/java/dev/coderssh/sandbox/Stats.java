package dev.coderssh.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * Counters behind {@code GET /sandbox/stats}. Token requests are counted on arrival (faulted ones
 * included), so "exactly one refresh" means exactly one request reached the token endpoint.
 */
public final class Stats {
  private final Map<String, AtomicLong> tokenRequests = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> tokenErrors = new ConcurrentHashMap<>();
  private final AtomicLong registrations = new AtomicLong();
  private final AtomicLong revocations = new AtomicLong();
  private final AtomicLong authorizeViews = new AtomicLong();
  private final AtomicLong buildsStarted = new AtomicLong();
  private final AtomicLong usageReports = new AtomicLong();
  private final Map<String, AtomicLong> denied = new ConcurrentHashMap<>();
  private final IntSupplier validAccessTokens;

  public Stats(IntSupplier validAccessTokens) {
    this.validAccessTokens = validAccessTokens;
  }

  public void tokenRequest(String grantType) {
    tokenRequests.computeIfAbsent(grantType, k -> new AtomicLong()).incrementAndGet();
  }

  public void tokenError(String error) {
    tokenErrors.computeIfAbsent(error, k -> new AtomicLong()).incrementAndGet();
  }

  public void registration() {
    registrations.incrementAndGet();
  }

  public void revocation() {
    revocations.incrementAndGet();
  }

  public void authorizeView() {
    authorizeViews.incrementAndGet();
  }

  public void buildStarted() {
    buildsStarted.incrementAndGet();
  }

  /** An accepted {@code POST /workspaces/{id}/usage}. */
  public void usageReport() {
    usageReports.incrementAndGet();
  }

  /**
   * A call refused by a scope or permission check (403, or the 404 coderd gives for what it
   * hides), keyed by {@code "METHOD /path-template"}: a session that must have worked fully
   * asserts this map is empty.
   */
  public void denied(String method, String template) {
    denied.computeIfAbsent(method + " " + template, k -> new AtomicLong()).incrementAndGet();
  }

  public void reset() {
    usageReports.set(0);
    denied.clear();
    tokenRequests.clear();
    tokenErrors.clear();
    registrations.set(0);
    revocations.set(0);
    authorizeViews.set(0);
    buildsStarted.set(0);
  }

  /** The exact JSON shape of /sandbox/stats. */
  public Map<String, Object> snapshot() {
    Map<String, Object> requests = new LinkedHashMap<>();
    requests.put("authorization_code", count(tokenRequests, "authorization_code"));
    requests.put("refresh_token", count(tokenRequests, "refresh_token"));
    Map<String, Object> errors = new TreeMap<>();
    tokenErrors.forEach((k, v) -> errors.put(k, v.get()));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("token_requests", requests);
    out.put("token_errors", errors);
    out.put("registrations", registrations.get());
    out.put("revocations", revocations.get());
    out.put("authorize_views", authorizeViews.get());
    out.put("builds_started", buildsStarted.get());
    out.put("valid_access_tokens", (long) validAccessTokens.getAsInt());
    out.put("usage_reports", usageReports.get());
    Map<String, Object> refused = new TreeMap<>();
    denied.forEach((k, v) -> refused.put(k, v.get()));
    out.put("denied", refused);
    return out;
  }

  private static long count(Map<String, AtomicLong> m, String key) {
    AtomicLong v = m.get(key);
    return v == null ? 0 : v.get();
  }
}
