package dev.coderssh.core.token;

import dev.coderssh.core.oauth.OAuthClient;
import dev.coderssh.core.store.CredentialStore;
import dev.coderssh.core.store.LockManager;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/** Builds the {@link AccessTokens} implementation; {@code CoreServices} is the usual caller. */
public final class Tokens {
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(90);

    private Tokens() {
    }

    /** @param oauth called only when a refresh is due (it brings up the HTTP stack) */
    public static AccessTokens open(CredentialStore store, LockManager locks, Clock clock, Supplier<OAuthClient> oauth) {
        return new StoredAccessTokens(store, locks, clock, oauth, DEFAULT_LOCK_TIMEOUT);
    }

    /**
     * @param check    asked when a token's confirmation or lifetime runs out (it brings up the HTTP stack)
     * @param sessions our CLI sessions running now, by key: a rotation waits while one holds the key
     */
    public static AccessTokens open(CredentialStore store, LockManager locks, Clock clock, Supplier<OAuthClient> oauth,
                                    Supplier<KeyCheck> check, LiveSessions sessions) {
        return new StoredAccessTokens(store, locks, clock, oauth, DEFAULT_LOCK_TIMEOUT, check, sessions);
    }
}
