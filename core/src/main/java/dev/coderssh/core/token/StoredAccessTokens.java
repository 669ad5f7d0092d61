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
 * instants; the OAuth client and the key check (and with them the HTTP stack) are created only when
 * a decision is due, through the suppliers.
 *
 * <p>The rules (SECURITY.md, "How long a token lives"): a token is handed over while the server
 * confirmed it within {@link #CONFIRM_FOR}, its server-side expiry is more than the margin away,
 * and the pair is younger than its issued lifetime (less the margin). Past that, under the lock:
 * a pair past its lifetime is rotated (refreshed) unless one of our CLI sessions still runs with
 * its key and the pair is younger than {@link #HARD_CAP}; otherwise the server is asked, and a
 * token it still accepts, with its expiry moved on, is kept (no refresh, which would delete the
 * key under every running session). A token it rejects is refreshed (a revoked sign-in then ends
 * in "sign in again").
 */
final class StoredAccessTokens implements AccessTokens {
    static final Duration MAX_MARGIN = Duration.ofMinutes(5);
    /** How long a confirmation by the server stands: the longest a revoked token is handed to the CLI. */
    static final Duration CONFIRM_FOR = Duration.ofMinutes(10);
    /**
     * The longest a rotation is deferred for a running session: well inside Coder's refresh token
     * lifetime (30 days by default), whose end would lose the sign-in.
     */
    static final Duration HARD_CAP = Duration.ofDays(7);
    /** Upper bound of the hand-over grace: a CLI authenticates within milliseconds of starting. */
    static final long MAX_GRACE_MILLIS = 10_000;
    private final CredentialStore store;
    private final LockManager locks;
    private final Clock clock;
    private final Supplier<OAuthClient> oauth;
    private final Duration lockTimeout;
    private final Supplier<KeyCheck> check;
    private final LiveSessions sessions;

    StoredAccessTokens(CredentialStore store, LockManager locks, Clock clock, Supplier<OAuthClient> oauth,
                       Duration lockTimeout) {
        this(store, locks, clock, oauth, lockTimeout, () -> KeyCheck.NONE, LiveSessions.NONE);
    }

    StoredAccessTokens(CredentialStore store, LockManager locks, Clock clock, Supplier<OAuthClient> oauth,
                       Duration lockTimeout, Supplier<KeyCheck> check, LiveSessions sessions) {
        this.store = store;
        this.locks = locks;
        this.clock = clock;
        this.oauth = oauth;
        this.lockTimeout = lockTimeout;
        this.check = check;
        this.sessions = sessions;
    }

    /**
     * Whether {@code c} may be handed to a caller as it is: a session token always; an OAuth token
     * only while its refresh is at least {@link #handoverGrace} away (see {@link #fresh}).
     */
    static boolean canHandOver(Credentials c, Instant now) {
        return !c.isOAuth() || untilRefreshDue(c, now) >= handoverGrace(c);
    }

    /**
     * Milliseconds until a decision is due (negative once it is): the earliest of the pair's
     * rotation (less than min(5 minutes, 10% of the lifetime) of its issued lifetime left; not once
     * a check at or after that time deferred it), the key's end at the server less the same margin,
     * and the end of the server's last confirmation. A token is handed over only while at least
     * {@link #handoverGrace} of this remains.
     */
    static long untilRefreshDue(Credentials c, Instant now) {
        return decisionAt(c) - now.toEpochMilli();
    }

    static long decisionAt(Credentials c) {
        long m = margin(c);
        long serverEnd = (c.acceptedUntil() != null ? c.acceptedUntil() : c.expiresAt()).toEpochMilli() - m;
        Instant confirmed = c.checkedAt() != null ? c.checkedAt() : c.issuedAt();
        long confirmEnd = confirmed.toEpochMilli() + CONFIRM_FOR.toMillis();
        long at = Math.min(serverEnd, confirmEnd);
        return deferred(c) ? at : Math.min(at, rotationDue(c));
    }

    /** When the pair's issued lifetime (less the margin) is over: a rotation is wanted from then. */
    static long rotationDue(Credentials c) {
        return c.expiresAt().toEpochMilli() - margin(c);
    }

    /** Whether the server's last confirmation came at or after the rotation was due: it was deferred then. */
    static boolean deferred(Credentials c) {
        return c.checkedAt() != null && c.checkedAt().toEpochMilli() >= rotationDue(c) - handoverGrace(c);
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
            if (rejected == null) {
                Credentials kept = keepOrRotate(deployment, c, now);
                if (kept != null) {
                    return token(store.withAccessToken(kept), inFile);
                }
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

    /**
     * Under the lock, once a decision is due: the credentials to keep (saved with the server's
     * confirmation), or null to rotate. Every refresh deletes the previous key at Coder, and a
     * token handed over just before could be deleted before its CLI authenticated: hand-overs stop
     * {@link #handoverGrace} before the decision, so a rotation waits until the decision is due.
     */
    private Credentials keepOrRotate(DeploymentUrl deployment, Credentials c, Instant now) {
        Credentials full = store.withAccessToken(c);
        boolean old = now.toEpochMilli() >= rotationDue(c) - handoverGrace(c);
        boolean hard = now.isAfter(c.issuedAt().plus(HARD_CAP));
        String keyId = SessionFiles.keyId(full.accessToken());
        if (old && (hard || keyId == null || sessions.holding(keyId) == 0)) {
            pause(untilRefreshDue(c, now));
            return null;
        }
        KeyCheck.Result r = check.get().check(deployment, full.accessToken());
        Instant checked = clock.instant();
        if (r instanceof KeyCheck.Accepted a) {
            Instant end = a.until() != null ? a.until() : (c.acceptedUntil() != null ? c.acceptedUntil() : c.expiresAt());
            Credentials next = c.withCheck(checked, end);
            if (untilRefreshDue(next, checked) >= 2 * handoverGrace(next)) {
                store.save(next);
                return next;
            }
            // Accepted, but its end is near and the server did not move it (a lifetime under an
            // hour, or --disable-session-expiry-refresh): it dies with or without us.
            pause(untilRefreshDue(c, checked));
            return null;
        }
        if (r instanceof KeyCheck.Rejected) {
            return null; // the key is gone at the server: nobody can still be using it
        }
        if (!old) {
            return c; // no verdict (the server is unreachable): as before, hand over what we have
        }
        pause(untilRefreshDue(c, checked));
        return null;
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
        return Instant.ofEpochMilli(decisionAt(c) - handoverGrace(c));
    }
}
