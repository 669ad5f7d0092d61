package dev.coderssh.sandbox.state;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The deployment's database. Every method is synchronized on the store: that is what makes a
 * refresh-token rotation atomic (two concurrent uses of one token: exactly one wins).
 */
public final class Store {
  private final Clock clock;
  private final Secrets secrets = new Secrets();
  private final Map<String, User> users = new LinkedHashMap<>();
  private final Map<String, Workspace> workspaces = new LinkedHashMap<>();
  private final Map<String, Agent> agents = new LinkedHashMap<>();
  private final Map<String, OAuthApp> apps = new LinkedHashMap<>();
  private final Map<String, AuthCode> codes = new LinkedHashMap<>();
  private final Map<String, ApiKey> keys = new LinkedHashMap<>();
  private final Map<String, RefreshGrant> refreshes = new LinkedHashMap<>();
  /** SHA-256 of each rotated refresh token -> {client id, user id} of its session. */
  private final Map<String, String[]> rotated = new java.util.HashMap<>();

  public Store(Clock clock) {
    this.clock = clock;
  }

  public Clock clock() {
    return clock;
  }

  public Secrets secrets() {
    return secrets;
  }

  // ---- users and workspaces

  public synchronized User addUser(String username, String password, List<String> roles) {
    User u = new User(UUID.randomUUID().toString(), username, username + "@sandbox.coder.test",
        Character.toUpperCase(username.charAt(0)) + username.substring(1), password, roles);
    users.put(username, u);
    return u;
  }

  public synchronized User user(String username) {
    return users.get(username);
  }

  public synchronized User userById(String id) {
    return users.values().stream().filter(u -> u.id().equals(id)).findFirst().orElse(null);
  }

  public synchronized Workspace addWorkspace(User owner, String name, String template, List<String> agentNames,
      boolean sharedServer) {
    if (workspace(owner.username(), name) != null) {
      throw new IllegalArgumentException("workspace exists: " + owner.username() + "/" + name);
    }
    Workspace ws = new Workspace(UUID.randomUUID().toString(), name, owner, template, sharedServer);
    for (String agentName : agentNames) {
      Agent a = new Agent(UUID.randomUUID().toString(), agentName, ws);
      ws.addAgent(a);
      agents.put(a.id(), a);
    }
    ws.latestBuild(new Build(UUID.randomUUID().toString(), 1, "stop", "stopped", "succeeded", clock.instant()));
    workspaces.put(ws.id(), ws);
    return ws;
  }

  public synchronized List<Workspace> workspaces() {
    return List.copyOf(workspaces.values());
  }

  public synchronized Workspace workspace(String id) {
    return workspaces.get(id);
  }

  public synchronized Workspace workspace(String owner, String name) {
    for (Workspace ws : workspaces.values()) {
      if (ws.owner().username().equals(owner) && ws.name().equals(name)) {
        return ws;
      }
    }
    return null;
  }

  public synchronized Agent agent(String id) {
    return agents.get(id);
  }

  // ---- apps

  public synchronized void putApp(OAuthApp app) {
    apps.put(app.clientId(), app);
  }

  public synchronized OAuthApp app(String clientId) {
    return clientId == null ? null : apps.get(clientId);
  }

  /** Deleting an app deletes its codes and tokens, as the real foreign keys cascade. */
  public synchronized boolean deleteApp(String clientId) {
    if (apps.remove(clientId) == null) {
      return false;
    }
    codes.values().removeIf(c -> c.clientId().equals(clientId));
    deleteTokens(r -> r.clientId().equals(clientId));
    return true;
  }

  // ---- authorization codes

  /** Allow was clicked: earlier unused codes of this app and user go, a new one is valid 10 minutes. */
  public synchronized String issueCode(String clientId, String userId, String challenge, String redirectUri,
      List<String> scopes, String resource) {
    codes.values().removeIf(c -> c.clientId().equals(clientId) && c.userId().equals(userId));
    String code = "coder_" + secrets.alnum(10) + "_" + secrets.alnum(40);
    codes.put(code, new AuthCode(code, clientId, userId, challenge, redirectUri, scopes, resource,
        clock.instant().plus(Duration.ofMinutes(10))));
    return code;
  }

  /** Single use: the code is gone after this call, whatever the caller decides next. */
  public synchronized AuthCode takeCode(String code, String clientId) {
    AuthCode c = codes.get(code);
    if (c == null || !c.clientId().equals(clientId)) {
      return null;
    }
    codes.remove(code);
    return c.expiresAt().isAfter(clock.instant()) ? c : null;
  }

  // ---- tokens

  /** One token per user and app: the exchange deletes that user's previous token for the app. */
  public synchronized TokenPair exchange(AuthCode code, List<String> scopes, Duration accessTtl, Duration refreshTtl) {
    deleteTokens(r -> r.clientId().equals(code.clientId()) && r.userId().equals(code.userId()));
    keys.values().removeIf(k -> code.clientId().equals(k.clientId()) && k.userId().equals(code.userId()));
    return mint(code.clientId(), code.userId(), scopes, code.resource(), accessTtl, refreshTtl);
  }

  /**
   * RFC 6749 section 6 with rotation (the {@code scope} parameter never narrows: coderd ignores
   * it). Reusing a refresh token that was already rotated ends the session its successor
   * belongs to: whether coderd serialises concurrent refreshes is not known, so the sandbox
   * takes the harsher reading and clients must never send one refresh token twice.
   */
  public synchronized Outcome refresh(String clientId, String refreshToken, String resource, Duration accessTtl,
      Duration refreshTtl) {
    RefreshGrant g = findRefresh(refreshToken);
    String[] family = rotated.remove(Secrets.s256(refreshToken));
    if (g == null && family != null && family[0].equals(clientId)) {
      deleteTokens(r -> r.clientId().equals(family[0]) && r.userId().equals(family[1]));
      keys.values().removeIf(k -> family[0].equals(k.clientId()) && k.userId().equals(family[1]));
      return new Outcome.Refused("invalid_grant", "The refresh token was already used; the session has ended.");
    }
    if (g == null || !g.clientId().equals(clientId)) {
      return new Outcome.Refused("invalid_grant", "The refresh token is invalid or has been used.");
    }
    if (!g.expiresAt().isAfter(clock.instant())) {
      return new Outcome.Refused("invalid_grant", "The refresh token has expired.");
    }
    if (resource != null && g.resource() != null && !resource.equals(g.resource())) {
      return new Outcome.Refused("invalid_target", "The resource does not match the original grant.");
    }
    List<String> scopes = g.scopes();
    refreshes.remove(g.prefix());
    rotated.put(Secrets.s256(refreshToken), new String[] {clientId, g.userId()});
    keys.remove(g.apiKeyId());
    return new Outcome.Minted(mint(clientId, g.userId(), scopes, g.resource(), accessTtl, refreshTtl));
  }

  private TokenPair mint(String clientId, String userId, List<String> scopes, String resource,
      Duration accessTtl, Duration refreshTtl) {
    Instant now = clock.instant();
    ApiKey key = new ApiKey(secrets.alnum(10), secrets.alnum(22), userId, scopes, now.plus(accessTtl),
        "oauth2_provider_app", clientId);
    keys.put(key.id(), key);
    RefreshGrant g = new RefreshGrant(secrets.alnum(10), secrets.alnum(40), clientId, userId, key.id(), scopes,
        resource, now.plus(refreshTtl));
    refreshes.put(g.prefix(), g);
    return new TokenPair(key, g);
  }

  /** A long-lived session token, as /cli-auth hands out. */
  public synchronized ApiKey mintSession(String userId, List<String> scopes, Duration ttl) {
    ApiKey key = new ApiKey(secrets.alnum(10), secrets.alnum(22), userId, scopes, clock.instant().plus(ttl),
        "session", null);
    keys.put(key.id(), key);
    return key;
  }

  private RefreshGrant findRefresh(String token) {
    String[] parts = token.split("_", 3);
    if (parts.length != 3 || !parts[0].equals("coder")) {
      return null;
    }
    RefreshGrant g = refreshes.get(parts[1]);
    return g != null && Secrets.same(g.secret(), parts[2]) ? g : null;
  }

  /** RFC 7009: revoking a refresh token revokes its access token too; unknown tokens are fine. */
  public synchronized boolean revokeRefresh(String clientId, String token) {
    RefreshGrant g = findRefresh(token);
    if (g == null || !g.clientId().equals(clientId)) {
      return false;
    }
    refreshes.remove(g.prefix());
    keys.remove(g.apiKeyId());
    return true;
  }

  /** The refresh token hangs off the API key (a cascading foreign key in coderd), so it goes too. */
  public synchronized boolean revokeAccess(String clientId, String token) {
    ApiKey k = findKey(token);
    if (k == null || !clientId.equals(k.clientId())) {
      return false;
    }
    keys.remove(k.id());
    refreshes.values().removeIf(r -> r.apiKeyId().equals(k.id()));
    return true;
  }

  public synchronized ApiKey findKey(String token) {
    int dash = token.indexOf('-');
    if (dash < 0) {
      return null;
    }
    ApiKey k = keys.get(token.substring(0, dash));
    return k != null && Secrets.same(k.secret(), token.substring(dash + 1)) ? k : null;
  }

  /** Deletes every token (access and refresh) of a user, or of everyone when {@code username} is null. */
  public synchronized int revokeAll(String username) {
    User u = username == null ? null : users.get(username);
    String userId = u == null ? null : u.id();
    if (username != null && userId == null) {
      return 0;
    }
    int before = keys.size() + refreshes.size();
    keys.values().removeIf(k -> userId == null || k.userId().equals(userId));
    refreshes.values().removeIf(r -> userId == null || r.userId().equals(userId));
    return before - keys.size() - refreshes.size();
  }

  /** Backdates expiry so tests need not wait: access tokens, refresh tokens, or both. */
  public synchronized int expire(String username, boolean access, boolean refresh) {
    User u = username == null ? null : users.get(username);
    String userId = u == null ? null : u.id();
    Instant past = clock.instant().minusSeconds(1);
    int n = 0;
    if (access) {
      for (ApiKey k : List.copyOf(keys.values())) {
        if (userId == null || k.userId().equals(userId)) {
          keys.put(k.id(), k.withExpiry(past));
          n++;
        }
      }
    }
    if (refresh) {
      for (RefreshGrant g : List.copyOf(refreshes.values())) {
        if (userId == null || g.userId().equals(userId)) {
          refreshes.put(g.prefix(), g.withExpiry(past));
          n++;
        }
      }
    }
    return n;
  }

  public synchronized int validAccessTokens() {
    Instant now = clock.instant();
    return (int) keys.values().stream().filter(k -> k.expiresAt().isAfter(now)).count();
  }

  private void deleteTokens(Predicate<RefreshGrant> which) {
    List<RefreshGrant> gone = new ArrayList<>();
    for (RefreshGrant g : refreshes.values()) {
      if (which.test(g)) {
        gone.add(g);
      }
    }
    for (RefreshGrant g : gone) {
      refreshes.remove(g.prefix());
      keys.remove(g.apiKeyId());
    }
  }
}
