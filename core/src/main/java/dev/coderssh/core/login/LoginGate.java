package dev.coderssh.core.login;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.CoreServices;
import dev.coderssh.core.ExitCode;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.store.LockManager;
import dev.coderssh.core.store.SecureFiles;
import dev.coderssh.core.token.AccessToken;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One browser sign-in per deployment across every coder-ssh process of the user. An IDE that
 * opens eight ssh connections at once to a deployment it is not signed in to must open one browser
 * tab, not eight (and at Coder each new code exchange would revoke the previous one's token).
 *
 * <p>The first process takes the sign-in lock ({@code locks/<fileKey>.signin.lock}, apart from the
 * refresh lock, which the sign-in itself takes to save) and runs {@link LoginFlow}; it leaves the
 * authorization URL in {@code locks/<fileKey>.signin-url} (owner-only) while it waits. The others
 * print that same URL on stderr, wait for the lock to be released (bounded), and then use the
 * token the first one stored. A waiter never starts a second browser sign-in: when the first ends
 * without a sign-in (cancelled, timed out, killed) the waiters fail with "run coder-ssh login",
 * so one cancel in the browser does not become seven more tabs.
 *
 * <p>For {@code coder-ssh proxy --login=browser}: stdin and stdout are the ssh stream there, so
 * pass {@link LoginOptions} with {@code interactive=false}; everything for the user goes to stderr.
 */
public final class LoginGate {
    static final String LOCK = "signin";
    /** How often a waiter looks at the lock and the URL file; a sign-in takes seconds to minutes. */
    static final Duration POLL = Duration.ofMillis(50);
    /** Waiters give the leader this much beyond the sign-in timeout to exchange the code and save. */
    static final Duration GRACE = Duration.ofSeconds(30);
    private final CoreServices core;
    private final Browser browser;
    private final PrintStream err;

    public LoginGate(CoreServices core, Browser browser) {
        this.core = core;
        this.browser = browser;
        this.err = core.console().err();
    }

    /**
     * A fresh access token for {@code options.url()}: the stored sign-in when there is a usable
     * one, else the result of the one browser sign-in that this or another process runs.
     *
     * @throws CoderSshException AUTH_REQUIRED when the sign-in ends without one (cancelled, timed
     *                           out, or the process running it died); FAILURE on other errors
     */
    public AccessToken signIn(LoginOptions options) {
        DeploymentUrl url = options.url();
        AccessToken stored = storedToken(url);
        if (stored != null) {
            return stored;
        }
        Path urlFile = urlFile(url);
        long deadline = System.nanoTime() + options.timeout().plus(GRACE).toNanos();
        boolean sawLeader = false;
        String shown = null;
        while (true) {
            LockManager.Held held = core.locks().tryAcquire(url, LOCK);
            if (held != null) {
                try {
                    // A leader may have finished between our first look and this lock.
                    AccessToken done = storedToken(url);
                    if (done != null) {
                        return done;
                    }
                    if (sawLeader) {
                        throw CoderSshException.authRequired("the sign-in to " + url
                                + " in another coder-ssh process ended without signing in", url.toString());
                    }
                    return lead(options, urlFile);
                } finally {
                    held.close();
                }
            }
            sawLeader = true;
            String waiting = readUrl(urlFile);
            if (waiting != null && !waiting.equals(shown)) {
                shown = waiting;
                err.println("Another coder-ssh process is signing in to " + url + "; waiting for it."
                        + " If no browser window opened, open this URL:");
                err.println();
                err.println("  " + waiting);
                err.println();
            }
            if (System.nanoTime() > deadline) {
                throw new CoderSshException(ExitCode.AUTH_REQUIRED, "timed out waiting for the sign-in to " + url
                        + " in another coder-ssh process: run `coder-ssh login " + url + "`");
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw CoderSshException.failure("interrupted while waiting for the sign-in to " + url);
            }
        }
    }

    private AccessToken lead(LoginOptions options, Path urlFile) {
        try {
            // A leader killed mid-flow leaves its URL behind; waiters must not show a dead link.
            Files.deleteIfExists(urlFile);
        } catch (IOException e) {
            // publish() replaces it atomically anyway
        }
        try {
            new LoginFlow(core, browser, authorizeUrl -> publish(urlFile, authorizeUrl)).run(options);
        } finally {
            try {
                Files.deleteIfExists(urlFile);
            } catch (IOException e) {
                // Harmless: the next leader overwrites it, and waiters only print it.
            }
        }
        return core.tokens().fresh(options.url());
    }

    /** The stored token if it is usable now; null when a sign-in is needed. */
    private AccessToken storedToken(DeploymentUrl url) {
        try {
            return core.tokens().fresh(url);
        } catch (CoderSshException e) {
            if (e.exitCode() == ExitCode.AUTH_REQUIRED) {
                return null;
            }
            throw e;
        }
    }

    private Path urlFile(DeploymentUrl url) {
        return core.home().locks().resolve(url.fileKey() + ".signin-url");
    }

    private void publish(Path urlFile, String authorizeUrl) {
        try {
            SecureFiles.writeAtomic(urlFile, authorizeUrl.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // Waiters then only say they wait; the sign-in itself goes on.
            err.println("(could not share the sign-in URL with other coder-ssh processes: "
                    + SecureFiles.describe(e) + ")");
        }
    }

    /** The leader's URL, one printable line; null while there is none. */
    private String readUrl(Path urlFile) {
        try {
            byte[] data = SecureFiles.readPrivate(urlFile, err);
            if (data == null) {
                return null;
            }
            String s = new String(data, StandardCharsets.UTF_8).strip();
            // Written by our own leader into an owner-only directory; still, print one line only.
            return !s.startsWith("http") || s.length() > 8192 ? null : s.replaceAll("\\p{Cntrl}", " ");
        } catch (IOException | CoderSshException e) {
            return null;
        }
    }
}
