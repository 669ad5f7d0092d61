package dev.coderssh.core.store;

import java.time.Instant;

/**
 * One deployment's sign-in as stored on disk. {@code kind} is {@value #OAUTH} (access + refresh
 * token from the OAuth provider) or {@value #SESSION_TOKEN} (a pasted Coder session token, no
 * refresh, no known expiry). {@code expired} marks a session the server refused to refresh.
 * Times are absolute so every process agrees on them.
 *
 * <p>{@code expiresAt} is the end the token response gave ({@code issuedAt + expires_in}): the
 * pair's age is measured against it. {@code checkedAt} is when the server last accepted the access
 * token (null: only at issue), and {@code acceptedUntil} the expiry it reported for the key then
 * (Coder moves a used key's expiry forward; null when not known).
 */
public record Credentials(String url, String kind, String accessToken, String refreshToken, Instant issuedAt,
                          Instant expiresAt, String scope, String username, String clientId,
                          String tokenEndpoint, String revocationEndpoint, boolean expired, Instant checkedAt,
                          Instant acceptedUntil) {
    public static final String OAUTH = "oauth";
    public static final String SESSION_TOKEN = "session-token";

    public Credentials {
        if (url == null || url.isEmpty()) {
            throw new IllegalArgumentException("credentials without a deployment URL");
        }
        if (!OAUTH.equals(kind) && !SESSION_TOKEN.equals(kind)) {
            throw new IllegalArgumentException("unknown credentials kind");
        }
        if (accessToken == null || accessToken.isEmpty()) {
            throw new IllegalArgumentException("credentials without an access token");
        }
        if (OAUTH.equals(kind) && (refreshToken == null || refreshToken.isEmpty() || expiresAt == null
                || issuedAt == null || clientId == null || tokenEndpoint == null)) {
            throw new IllegalArgumentException("OAuth credentials lack refresh token, expiry, client or endpoint");
        }
        scope = scope == null ? "" : dev.coderssh.core.token.Scopes.capped(scope);
    }

    /** A sign-in never checked at the server since its tokens were issued. */
    public Credentials(String url, String kind, String accessToken, String refreshToken, Instant issuedAt,
                       Instant expiresAt, String scope, String username, String clientId,
                       String tokenEndpoint, String revocationEndpoint, boolean expired) {
        this(url, kind, accessToken, refreshToken, issuedAt, expiresAt, scope, username, clientId, tokenEndpoint,
                revocationEndpoint, expired, null, null);
    }

    /** The server accepted the access token at {@code at} and reported it good until {@code until} (or null). */
    public Credentials withCheck(Instant at, Instant until) {
        return new Credentials(url, kind, accessToken, refreshToken, issuedAt, expiresAt, scope, username, clientId,
                tokenEndpoint, revocationEndpoint, expired, at, until);
    }

    public boolean isOAuth() {
        return OAUTH.equals(kind);
    }

    /** Whether this was read without its tokens because they are in the keyring (metadata only). */
    public boolean accessTokenInKeyring() {
        return dev.coderssh.core.store.keyring.TokenPlacement.NOT_LOADED.equals(accessToken);
    }

    public Credentials markExpired() {
        return new Credentials(url, kind, accessToken, refreshToken, issuedAt, expiresAt, scope, username, clientId,
                tokenEndpoint, revocationEndpoint, true, checkedAt, acceptedUntil);
    }

    public Credentials withUsername(String name) {
        return new Credentials(url, kind, accessToken, refreshToken, issuedAt, expiresAt, scope, name, clientId,
                tokenEndpoint, revocationEndpoint, expired, checkedAt, acceptedUntil);
    }

    @Override
    public String toString() {
        return "Credentials[url=" + url + ", kind=" + kind + ", accessToken=<redacted>, refreshToken=<redacted>, expiresAt="
                + expiresAt + ", scope=" + scope + ", username=" + username + ", expired=" + expired + ", checkedAt=" + checkedAt + ", acceptedUntil="
                + acceptedUntil + "]";
    }
}
