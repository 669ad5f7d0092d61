package dev.coderssh.core.token;

import java.time.Instant;
import java.util.Set;

/**
 * An access token valid for at least the refresh margin at the time it was handed out.
 * {@code expiresAt} is null for a pasted session token (its lifetime is the server's business).
 */
public record AccessToken(String value, Instant expiresAt, Set<String> scopes, String username) {
    public AccessToken {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("empty access token");
        }
        scopes = Set.copyOf(scopes);
    }

    @Override
    public String toString() {
        return "AccessToken[value=<redacted>, expiresAt=" + expiresAt + ", scopes=" + scopes + ", username=" + username + "]";
    }
}
