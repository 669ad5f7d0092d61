package dev.coderssh.core.login;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.ExitCode;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.store.Credentials;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Login's wait: for the listener's callback and, when a person is at stdin, for a pasted redirect
 * or session token. A bad paste is said and asked again, up to {@link #TRIES} times; it never ends
 * the wait for the browser before that.
 */
final class PasteWait {
    static final int TRIES = 3;
    private final PrintStream err;
    private final BlockingQueue<Object> events;
    private final boolean pasting;
    private final PasteReader reader;
    /** One permit per line the reader may read: the next prompt shows only after the verdict. */
    private final Semaphore wanted = new Semaphore(1);

    PasteWait(InputStream in, PrintStream err, BlockingQueue<Object> events, boolean pasting) {
        this.err = err;
        this.events = events;
        this.pasting = pasting;
        this.reader = new PasteReader(in, err);
    }

    /**
     * The first usable answer: a {@link CallbackResult} (from the listener or pasted), or the
     * Credentials {@code storeToken} made of a pasted token the server accepted.
     */
    Object await(String waitingLine, Duration timeout, DeploymentUrl url, String redirectUri, String state,
                 Function<String, Credentials> storeToken) {
        // Ctrl-C while waiting ends the JVM; say what that left behind instead of a bare ^C.
        Thread onCtrlC = new Thread(new Runnable() {
            @Override
            public void run() {
                err.println();
                err.println("coder-ssh login: cancelled before the sign-in completed; nothing was stored");
            }
        }, "login-cancelled");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        try {
            // Said once the hook is in place: Ctrl-C the moment this shows still gets its line.
            err.println(waitingLine);
            if (pasting) {
                startReader();
            }
            return awaitAnswer(timeout, url, redirectUri, state, storeToken);
        } finally {
            reader.restore();
            try {
                Runtime.getRuntime().removeShutdownHook(onCtrlC);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run: it said its line
            }
        }
    }

    private Object awaitAnswer(Duration timeout, DeploymentUrl url, String redirectUri, String state,
                               Function<String, Credentials> storeToken) {
        long deadline = System.nanoTime() + timeout.toNanos(); // a wait, not a time of day
        int bad = 0;
        while (true) {
            Object event = poll(timeout, Math.max(0, deadline - System.nanoTime()));
            if (!(event instanceof String)) {
                return event;
            }
            if (((String) event).isBlank()) {
                wanted.release(); // an Enter pressed by mistake is not a try
                continue;
            }
            Paste paste = Paste.of((String) event, redirectUri, state);
            String why;
            if (paste instanceof Paste.Redirect r) {
                return r.result();
            } else if (paste instanceof Paste.Token t) {
                try {
                    return storeToken.apply(t.token());
                } catch (CoderSshException e) {
                    if (e.exitCode() != ExitCode.AUTH_REQUIRED) {
                        throw e;
                    }
                    why = "the server rejected that token";
                }
            } else {
                why = ((Paste.Unusable) paste).why();
            }
            if (++bad >= TRIES) {
                throw CoderSshException.authRequired(why + " (" + TRIES + " tries)", url.toString());
            }
            int left = TRIES - bad;
            err.println(why + "; paste again (" + left + " more " + (left == 1 ? "try" : "tries")
                    + "), or finish in the browser:");
            wanted.release();
        }
    }

    private Object poll(Duration timeout, long nanos) {
        try {
            Object e = events.poll(nanos, TimeUnit.NANOSECONDS);
            if (e == null) {
                throw CoderSshException.failure("timed out after " + timeout.toSeconds() + "s waiting for the browser"
                        + " sign-in (use --timeout to wait longer)");
            }
            return e;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw CoderSshException.failure("sign-in interrupted");
        }
    }

    private void startReader() {
        Thread t = new Thread(new Runnable() {
            @Override
            public void run() {
                try {
                    while (true) {
                        wanted.acquire();
                        String line = reader.read("> ", true);
                        if (line == null) {
                            return; // stdin closed: only the browser is left
                        }
                        events.offer(line);
                    }
                } catch (IOException | InterruptedException e) {
                    // Nothing more to read; the wait for the browser goes on.
                }
            }
        }, "token-paste");
        t.setDaemon(true);
        t.start();
    }
}
