package dev.coderssh.core.token;

import java.time.Instant;
import java.util.Set;

/**
 * An access token valid for at least the refresh margin at the time it was handed out.
 * {@code expiresAt} is null for a pasted session token (its lifetime is the server's business).
 *
 * <p>{@code reusableUntil}: until when the same token may be handed over again without asking the
 * store (after that its refresh window begins, and a refresh deletes it at Coder); {@link Instant#MAX}
 * when no end is known (a session token), null when it must not be kept anywhere but the store (it is
 * held in the OS keyring). The proxy's plan cache uses it.
 */
public record AccessToken(String value, Instant expiresAt, Set<String> scopes, String username, Instant reusableUntil) {
    public AccessToken {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("empty access token");
        }
        scopes = Set.copyOf(scopes);
    }

    @Override
    public String toString() {
        return "AccessToken[value=<redacted>, expiresAt=" + expiresAt + ", scopes=" + scopes + ", username=" + username
                + ", reusableUntil=" + reusableUntil + "]";
    }
}
