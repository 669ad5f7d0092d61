package dev.coderssh.core;

import dev.coderssh.core.api.CoderApi;
import dev.coderssh.core.api.CoderApis;
import dev.coderssh.core.cli.Console;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.home.CoderSshHome;
import dev.coderssh.core.http.HttpOptions;
import dev.coderssh.core.http.HttpTransport;
import dev.coderssh.core.http.HttpTransports;
import dev.coderssh.core.oauth.OAuthClient;
import dev.coderssh.core.oauth.Sleeper;
import dev.coderssh.core.store.CredentialStore;
import dev.coderssh.core.store.LockManager;
import dev.coderssh.core.store.keyring.Keyrings;
import dev.coderssh.core.store.keyring.TokenPlacement;
import dev.coderssh.core.token.AccessTokens;
import dev.coderssh.core.token.HttpKeyCheck;
import dev.coderssh.core.token.KeyCheck;
import dev.coderssh.core.token.SessionFiles;
import dev.coderssh.core.token.Tokens;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The object graph of core, built once per process in main (no static singletons). Cheap to
 * create: the HTTP transport and OAuth client come into being on first use, so a ProxyCommand
 * with a fresh token on disk never loads them.
 */
public final class CoreServices {
    private final Console console;
    private final HttpOptions httpOptions;
    private final String version;
    private final Sleeper sleeper;
    private final CoderSshHome home;
    private final CredentialStore store;
    private final LockManager locks;
    private final AccessTokens tokens;
    private final boolean lean;
    private HttpTransport transport;
    private OAuthClient oauth;

    public CoreServices(Console console, HttpOptions httpOptions, String version, Sleeper sleeper) {
        this(console, httpOptions, version, sleeper, false);
    }

    /**
     * @param lean use the JDK's HttpURLConnection instead of OkHttp: for a short-lived process that
     *             sends a request or two (the ProxyCommand's refresh), where loading OkHttp would
     *             cost several times the request itself
     */
    public CoreServices(Console console, HttpOptions httpOptions, String version, Sleeper sleeper, boolean lean) {
        this.lean = lean;
        this.console = console;
        this.httpOptions = httpOptions;
        this.version = version;
        this.sleeper = sleeper;
        this.home = CoderSshHome.resolve(console.env());
        this.store = new CredentialStore(home, console.err(), console.clock(),
                new TokenPlacement(home, Keyrings.platform(console.env()), console.err()));
        this.locks = new LockManager(home, console.err());
        this.tokens = Tokens.open(store, locks, console.clock(), new LazyOAuth(), new LazyKeyCheck(),
                new SessionFiles(home.sessions()));
    }

    /** The production graph: real sleeps between retries. */
    public static CoreServices create(Console console, HttpOptions httpOptions, String version) {
        return new CoreServices(console, httpOptions, version, Sleeper.SYSTEM);
    }

    /** The production graph on the lean JDK transport (see the constructor). */
    public static CoreServices createLean(Console console, HttpOptions httpOptions, String version) {
        return new CoreServices(console, httpOptions, version, Sleeper.SYSTEM, true);
    }

    public Console console() {
        return console;
    }

    public Clock clock() {
        return console.clock();
    }

    public CoderSshHome home() {
        return home;
    }

    public CredentialStore store() {
        return store;
    }

    public LockManager locks() {
        return locks;
    }

    public AccessTokens tokens() {
        return tokens;
    }

    /** The HTTP transport (OkHttp, or the JDK's when lean), created on first call. */
    public synchronized HttpTransport transport() {
        if (transport == null) {
            transport = lean ? HttpTransports.createLean(httpOptions, version, console.env())
                    : HttpTransports.create(httpOptions, version, console.env());
        }
        return transport;
    }

    public synchronized OAuthClient oauth() {
        if (oauth == null) {
            // Retry jitter needs no SecureRandom (whose providers cost the refresh path milliseconds).
            oauth = new OAuthClient(transport(), sleeper, new java.util.Random(), console.clock());
        }
        return oauth;
    }

    public CoderApi api(DeploymentUrl url) {
        return CoderApis.create(url, transport(), tokens);
    }

    /** Like {@link LazyOAuth}: the HTTP stack comes up only when a token must be checked. */
    private final class LazyKeyCheck implements Supplier<KeyCheck> {
        @Override
        public KeyCheck get() {
            return new HttpKeyCheck(transport());
        }
    }

    /** A class, not a lambda: the first lambda of a JVM costs the fast path milliseconds. */
    private final class LazyOAuth implements Supplier<OAuthClient> {
        @Override
        public OAuthClient get() {
            return oauth();
        }
    }
}
