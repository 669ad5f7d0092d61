package dev.coderssh.core.token;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.oauth.OAuthClient;
import dev.coderssh.core.oauth.TokenResult;
import dev.coderssh.core.store.ClientRegistration;
import dev.coderssh.core.store.CredentialStore;
import dev.coderssh.core.store.Credentials;
import dev.coderssh.core.store.LockManager;
import dev.coderssh.core.store.SpaceReservation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@link AccessTokens} over the credentials store. The fast path reads one small file and compares
 * two instants; the OAuth client (and with it the HTTP stack) is created only when a refresh is
 * due, through the supplier.
 */
final class StoredAccessTokens implements AccessTokens {
    static final Duration MAX_MARGIN = Duration.ofMinutes(5);
    /** Upper bound of the hand-over grace: a CLI authenticates within milliseconds of starting. */
    static final long MAX_GRACE_MILLIS = 10_000;
    private final CredentialStore store;
    private final LockManager locks;
    private final Clock clock;
    private final Supplier<OAuthClient> oauth;
    private final Duration lockTimeout;

    StoredAccessTokens(CredentialStore store, LockManager locks, Clock clock, Supplier<OAuthClient> oauth,
                       Duration lockTimeout) {
        this.store = store;
        this.locks = locks;
        this.clock = clock;
        this.oauth = oauth;
        this.lockTimeout = lockTimeout;
    }

    /**
     * Whether {@code c} may be handed to a caller as it is: a session token always; an OAuth token
     * only while its refresh is at least {@link #handoverGrace} away (see {@link #fresh}).
     */
    static boolean canHandOver(Credentials c, Instant now) {
        return !c.isOAuth() || untilRefreshDue(c, now) >= handoverGrace(c);
    }

    /**
     * Milliseconds until the refresh is due, i.e. until less than min(5 minutes, 10% of the
     * lifetime) remains (refresh as rarely as is safe); negative once it is. A token is handed
     * over only while at least {@link #handoverGrace} of this remains.
     */
    static long untilRefreshDue(Credentials c, Instant now) {
        return c.expiresAt().toEpochMilli() - margin(c) - now.toEpochMilli();
    }

    private static long margin(Credentials c) {
        long lifetime = c.expiresAt().toEpochMilli() - c.issuedAt().toEpochMilli();
        return Math.min(MAX_MARGIN.toMillis(), Math.max(0, lifetime / 10));
    }

    /** min(10 s, 5% of the lifetime): time enough for the CLI to authenticate with a token. */
    static long handoverGrace(Credentials c) {
        long lifetime = c.expiresAt().toEpochMilli() - c.issuedAt().toEpochMilli();
        return Math.min(MAX_GRACE_MILLIS, Math.max(0, lifetime / 20));
    }

    @Override
    public AccessToken fresh(DeploymentUrl deployment) {
        // Freshness is decided from the file alone; a keyring is asked for the access token only
        // when that token will be used (one keyring call on the fast path, none before deciding).
        Credentials c = usable(store.loadMetadata(deployment), deployment);
        boolean inFile = !c.accessTokenInKeyring();
        Instant now = clock.instant();
        if (canHandOver(c, now)) {
            return token(store.withAccessToken(c), inFile);
        }
        // Every refresh deletes the previous access token at Coder. A token handed over now could
        // be deleted by another process's refresh a moment later, before the CLI has authenticated
        // with it. So in the short window before the refresh is due, neither hand over nor
        // refresh: wait until it is due (no wait once it is), then refresh (or take a peer's).
        pause(untilRefreshDue(c, now));
        return refresh(deployment, null, inFile);
    }

    private static void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis + 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CoderSshException.failure("interrupted while waiting to refresh the token");
        }
    }

    @Override
    public AccessToken refreshAfterRejection(DeploymentUrl deployment, AccessToken rejected) {
        Credentials c = loadUsable(deployment);
        if (!c.isOAuth()) {
            throw CoderSshException.authRequired("the session token for " + deployment + " was rejected", deployment.toString());
        }
        return refresh(deployment, rejected.value(), false);
    }

    @Override
    public boolean stillStored(DeploymentUrl deployment, AccessToken token) {
        Credentials c = store.loadMetadata(deployment);
        return c != null && !c.expired() && c.accessToken().equals(token.value());
    }

    private Credentials loadUsable(DeploymentUrl deployment) {
        return usable(store.load(deployment), deployment);
    }

    private static Credentials usable(Credentials c, DeploymentUrl deployment) {
        if (c == null) {
            throw CoderSshException.authRequired("not logged in to " + deployment, deployment.toString());
        }
        if (c.expired()) {
            throw expired(deployment);
        }
        return c;
    }

    /**
     * Refreshes under the deployment lock. After taking it the store is re-read: another process may
     * have refreshed already, and its token is used without a request.
     *
     * @param rejected the access token the API refused, or null for an expiry-driven refresh
     * @param inFile    whether the tokens live in the credentials file, not the keyring (see
     *                  {@link AccessToken#reusableUntil})
     */
    @SuppressWarnings("try") // the lock is held for the block, not referenced in it
    private AccessToken refresh(DeploymentUrl deployment, String rejected, boolean inFile) {
        RefreshedMeanwhile meanwhile = rejected == null ? new RefreshedMeanwhile(deployment) : null;
        LockManager.Held lock = locks.acquireUnless(deployment, lockTimeout, meanwhile);
        if (lock == null) {
            return token(store.withAccessToken(meanwhile.found), inFile);
        }
        try (LockManager.Held held = lock) {
            Credentials c = loadUsable(deployment);
            Instant now = clock.instant();
            // Done when a peer refreshed while we waited for the lock: its token is fresh enough to
            // hand over (outside the window before its own refresh is due).
            boolean done = rejected == null
                    ? canHandOver(c, now)
                    : !c.accessToken().equals(rejected);
            if (done || !c.isOAuth()) {
                return token(c, inFile);
            }
            ClientRegistration client = store.loadClient(deployment);
            if (client == null || !client.clientId().equals(c.clientId())) {
                // A public client needs only its id; a confidential one lost its secret with the file.
                client = new ClientRegistration(deployment.toString(), ClientRegistration.DCR, c.clientId(), null, "none",
                        null, null, c.scope());
            }
            try (SpaceReservation reserved = store.reserve(deployment)) {
                return refreshWith(deployment, c, client, reserved, inFile);
            }
        }
    }

    /** The request and its outcome; {@code reserved} is the space the new pair will be saved in. */
    private AccessToken refreshWith(DeploymentUrl deployment, Credentials c, ClientRegistration client,
                                    SpaceReservation reserved, boolean inFile) {
        Instant before = clock.instant();
        TokenResult result = oauth.get().refresh(c.tokenEndpoint(), client, c.refreshToken());
        if (result instanceof TokenResult.Success) {
            TokenResult.Success s = (TokenResult.Success) result;
            Credentials next = new Credentials(c.url(), Credentials.OAUTH, s.accessToken(), s.refreshToken(), before,
                    before.plusSeconds(s.expiresInSeconds()), s.scope().isEmpty() ? c.scope() : s.scope(),
                    c.username(), c.clientId(), c.tokenEndpoint(), c.revocationEndpoint(), false);
            // Persist before use: the old refresh token died the moment the server answered.
            store.save(next, reserved);
            return token(next, inFile);
        }
        TokenResult.Error e = (TokenResult.Error) result;
        if ("invalid_grant".equals(e.code())) {
            Credentials again = store.load(deployment);
            if (again != null && !again.expired() && !again.refreshToken().equals(c.refreshToken())) {
                return token(again, inFile);
            }
            if (again != null) {
                store.save(again.markExpired());
            }
            throw expired(deployment);
        }
        if ("invalid_client".equals(e.code())) {
            throw CoderSshException.authRequired("the OAuth client for " + deployment + " was rejected ("
                    + e.describe() + ")", deployment.toString());
        }
        if (TokenResult.Error.RATE_LIMITED.equals(e.code())) {
            // Coder's limiter, not a verdict on the sign-in: the refresh token was not spent.
            throw CoderSshException.failure("could not refresh the token for " + deployment + ": " + e.description()
                    + "; stored sign-in kept");
        }
        throw CoderSshException.failure("could not refresh the token for " + deployment + ": " + e.describe()
                + (e.status() > 0 ? " (HTTP " + e.status() + ")" : "") + "; stored sign-in kept");
    }

    /**
     * While another process holds the lock: whether the file already shows a fresh token (its
     * refresh is on disk, written atomically, as the fast path reads it). A class, not a lambda:
     * the first lambda of a JVM costs the refresh path milliseconds.
     */
    private final class RefreshedMeanwhile implements BooleanSupplier {
        private final DeploymentUrl deployment;
        private Credentials found;

        RefreshedMeanwhile(DeploymentUrl deployment) {
            this.deployment = deployment;
        }

        @Override
        public boolean getAsBoolean() {
            Credentials c;
            try {
                c = store.loadMetadata(deployment);
            } catch (RuntimeException e) {
                return false; // keep waiting for the lock; the holder's outcome decides
            }
            Instant now = clock.instant();
            if (c != null && !c.expired() && canHandOver(c, now)) {
                found = c;
                return true;
            }
            return false;
        }
    }

    private static CoderSshException expired(DeploymentUrl deployment) {
        return CoderSshException.authRequired("session for " + deployment + " expired or was revoked", deployment.toString());
    }

    private static AccessToken token(Credentials c, boolean inFile) {
        Set<String> scopes = Scopes.parse(c.scope());
        return new AccessToken(c.accessToken(), c.expiresAt(), scopes, c.username(), inFile ? reusableUntil(c) : null);
    }

    /** The last instant {@link #canHandOver} holds for {@code c}. */
    static Instant reusableUntil(Credentials c) {
        if (!c.isOAuth()) {
            return c.expiresAt() == null ? Instant.MAX : c.expiresAt();
        }
        return c.expiresAt().minusMillis(margin(c) + handoverGrace(c));
    }
}
