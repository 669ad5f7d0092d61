package dev.coderssh.core.login;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.CoreServices;
import dev.coderssh.core.api.BuildInfo;
import dev.coderssh.core.api.CoderApis;
import dev.coderssh.core.cli.TerminalText;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.http.HeaderRules;
import dev.coderssh.core.http.HttpRequest;
import dev.coderssh.core.http.HttpResponse;
import dev.coderssh.core.json.Json;
import dev.coderssh.core.json.JsonException;
import dev.coderssh.core.json.JsonFields;
import dev.coderssh.core.oauth.AuthorizeUrl;
import dev.coderssh.core.oauth.CodeVerifier;
import dev.coderssh.core.oauth.OAuthMetadata;
import dev.coderssh.core.oauth.TokenResult;
import dev.coderssh.core.scope.ScopeCatalog;
import dev.coderssh.core.store.ClientRegistration;
import dev.coderssh.core.store.Credentials;
import dev.coderssh.core.store.LockManager;
import dev.coderssh.core.store.SpaceReservation;
import dev.coderssh.core.token.Tokens;
import java.io.IOException;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * The browser sign-in: discovery, client registration (RFC 7591) or an admin-created client,
 * authorization code with PKCE (RFC 7636) through a loopback redirect (RFC 8252), exchange, then
 * {@code users/me}. A pasted Coder session token is the fallback when OAuth is unavailable.
 */
public final class LoginFlow {
    private final CoreServices core;
    private final Browser browser;
    private final PrintStream err;
    private final SecureRandom random = new SecureRandom();
    private final Consumer<String> authorizeUrlShown;

    public LoginFlow(CoreServices core, Browser browser) {
        this(core, browser, null);
    }

    /** @param authorizeUrlShown told the authorization URL once it is printed ({@link LoginGate} shares it) */
    LoginFlow(CoreServices core, Browser browser, Consumer<String> authorizeUrlShown) {
        this.core = core;
        this.browser = browser;
        this.err = core.console().err();
        this.authorizeUrlShown = authorizeUrlShown;
    }

    /** Signs in and stores the result; returns what was stored. */
    public Credentials run(LoginOptions o) {
        DeploymentUrl url = o.url();
        if (o.tokenStdin()) {
            return storeSessionToken(url, readToken());
        }
        BuildInfo info = buildInfo(url);
        OAuthMetadata metadata = core.oauth().discover(url);
        if (metadata == null) {
            throw CoderSshException.failure("the OAuth2 provider is not enabled on " + url + " (Coder " + info.version()
                    + "); sign in with a session token instead: open " + url.resolve("/cli-auth")
                    + " and paste it into `coder-ssh login " + url + " --token-stdin`");
        }
        if (!metadata.problems().isEmpty()) {
            throw CoderSshException.failure("the OAuth2 provider of " + url + " cannot be used: "
                    + String.join(", ", metadata.problems()));
        }
        String insecure = metadata.endpointProblem(url);
        if (insecure != null) {
            // Before the browser opens or a client is registered: nothing secret has been sent yet.
            throw CoderSshException.failure("refusing to sign in to " + url + ": its OAuth metadata's " + insecure);
        }
        String scope = o.scope() != null ? o.scope() : String.join(" ", ScopeCatalog.request(metadata.scopesSupported()));
        // One token per user and app: the exchange ends the previous sign-in at the server, so the
        // space to save the new one is taken before the browser opens, and kept until the save.
        try (SpaceReservation reserved = core.store().reserve(url)) {
            return browserSignIn(o, url, metadata, scope, reserved);
        }
    }

    private Credentials browserSignIn(LoginOptions o, DeploymentUrl url, OAuthMetadata metadata, String scope,
                                      SpaceReservation reserved) {
        ClientSetup setup = new ClientSetup(core, url, metadata, err);
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        CodeVerifier verifier = CodeVerifier.generate(random);
        String state = CodeVerifier.randomUrlSafe(random, 32);
        ClientRegistration manual = setup.manual(o, scope);
        ClientRegistration[] client = {manual};
        LoopbackReceiver receiver = manual != null ? Redirects.forManual(manual, state, events)
                : Redirects.ephemeral(state, events);
        try {
            if (manual == null) {
                client[0] = setup.own(scope, receiver.redirectUri());
                receiver = Redirects.alignOwn(setup, client, receiver, state, events, err);
            }
            return signIn(o, url, metadata, client[0], scope, receiver, events, state, verifier, reserved);
        } finally {
            receiver.close();
        }
    }

    private Credentials signIn(LoginOptions o, DeploymentUrl url, OAuthMetadata metadata, ClientRegistration client,
                               String scope, LoopbackReceiver receiver, BlockingQueue<Object> events, String state,
                               CodeVerifier verifier, SpaceReservation reserved) {
        String authorizeUrl = authorizeUrl(metadata, client, receiver.redirectUri(), scope, state, verifier);
        err.println("To sign in to " + url + ", open this URL in your browser:");
        err.println();
        err.println("  " + authorizeUrl);
        err.println();
        if (authorizeUrlShown != null) {
            authorizeUrlShown.accept(authorizeUrl);
        }
        if (!o.noBrowser()) {
            try {
                browser.open(authorizeUrl);
            } catch (IOException e) {
                err.println("(could not start a browser; open the URL yourself)");
            }
        }
        if (o.interactive()) {
            err.println("Browser on another machine? After approving, it shows a page that cannot connect: paste that");
            err.println("page's address here. Or paste a session token from " + url.resolve("/cli-auth") + ".");
        }
        String until = java.time.format.DateTimeFormatter.ofPattern("HH:mm")
                .format(core.clock().instant().plus(o.timeout()).atZone(java.time.ZoneId.systemDefault()));
        PasteWait wait = new PasteWait(core.console().in(), err, events, o.interactive());
        Object event = wait.await("Waiting for the browser (until " + until + ", Ctrl-C to cancel)...", o.timeout(), url, receiver.redirectUri(), state, t -> storeSessionToken(url, t));
        if (event instanceof Credentials) {
            receiver.showPage(Pages.success("Signed in", "Signed in with a pasted token; you can close this window.",
                    NEXT_OK));
            return (Credentials) event;
        }
        if (event instanceof CallbackResult.Error) {
            CallbackResult.Error e = (CallbackResult.Error) event;
            boolean denied = "access_denied".equals(e.error());
            receiver.showPage(Pages.failure(denied ? "Sign-in cancelled" : "Sign-in failed",
                    denied ? "The request was denied in the browser; nothing was stored."
                            : e.error() + (e.description() == null ? "" : ": " + e.description()), retry(url)));
            if (denied) {
                throw CoderSshException.failure("sign-in to " + url + " was cancelled in the browser (access_denied)");
            }
            throw CoderSshException.failure("sign-in to " + url + " failed: " + TerminalText.line(e.error(), 200)
                    + (e.description() == null ? "" : ": " + TerminalText.line(e.description(), 200)));
        }
        String code = ((CallbackResult.Code) event).code();
        try {
            Credentials c = exchange(url, metadata, client, code, receiver.redirectUri(), verifier, scope, reserved);
            receiver.showPage(Pages.success("Signed in", "Signed in to " + url + " as " + (c.username() == null ? "(unknown user)" : c.username())
                    + ". You can close this window.", NEXT_OK));
            return c;
        } catch (CoderSshException e) {
            receiver.showPage(Pages.failure("Sign-in failed", e.getMessage(), retry(url)));
            throw e;
        }
    }

    static final String NEXT_OK = "Next, in your terminal: `coder-ssh config-ssh` adds your workspaces to your ssh"
            + " config; then `ssh coder.<workspace>` or pick the host in your IDE.";

    private static String retry(DeploymentUrl url) {
        return "To try again, run `coder-ssh login " + url + "` in your terminal; `coder-ssh doctor " + url
                + "` checks the deployment's sign-in settings.";
    }

    private Credentials exchange(DeploymentUrl url, OAuthMetadata metadata, ClientRegistration client, String code,
                                 String redirectUri, CodeVerifier verifier, String requested, SpaceReservation reserved) {
        Instant before = core.clock().instant();
        TokenResult r = core.oauth().exchangeCode(metadata.tokenEndpoint(), client, code, redirectUri, verifier);
        if (r instanceof TokenResult.Error) {
            TokenResult.Error e = (TokenResult.Error) r;
            if ("invalid_client".equals(e.code()) && ClientRegistration.DCR.equals(client.source())) {
                core.store().deleteClient(url);
                throw CoderSshException.failure("the server no longer knows this installation's OAuth client; it was"
                        + " forgotten, run `coder-ssh login " + url + "` again to register a new one");
            }
            if (TokenResult.Error.RATE_LIMITED.equals(e.code())) {
                throw CoderSshException.failure(e.description());
            }
            if ("invalid_grant".equals(e.code())) {
                throw CoderSshException.failure("the authorization code was rejected (invalid_grant: used, expired or"
                        + " not ours); run `coder-ssh login " + url + "` again");
            }
            throw CoderSshException.failure("token exchange with " + url + " failed: " + e.describe()
                    + (e.status() > 0 ? " (HTTP " + e.status() + ")" : ""));
        }
        TokenResult.Success s = (TokenResult.Success) r;
        String granted = GrantedScopes.of(core.transport(), url, s.accessToken(), s.scope());
        if (ScopeCatalog.unrestricted(granted)) {
            err.println("Note: " + url + " does not narrow OAuth tokens to the scopes asked for (it records this one"
                    + " as " + TerminalText.escape(granted) + "): the token can do whatever your account can; it is still short-lived.");
        } else {
            ScopeWarnings.print(err, granted.isEmpty() ? requested : granted);
        }
        String user = username(url, s.accessToken());
        Credentials c = new Credentials(url.toString(), Credentials.OAUTH, s.accessToken(), s.refreshToken(), before,
                before.plusSeconds(s.expiresInSeconds()), granted, user, client.clientId(), metadata.tokenEndpoint(),
                metadata.revocationEndpoint(), false);
        try {
            save(url, c, reserved);
        } catch (CoderSshException e) {
            throw unsaved(url, e);
        }
        return c;
    }

    /**
     * The server issued a pair that could not be saved, and with it ended the previous sign-in
     * (one token per user and app): the stored one must not go on looking usable.
     */
    private CoderSshException unsaved(DeploymentUrl url, CoderSshException cause) {
        String previous;
        try {
            Credentials old = core.store().loadMetadata(url);
            if (old == null) {
                previous = "";
            } else {
                try {
                    core.store().save(old.markExpired());
                } catch (CoderSshException notMarked) {
                    core.store().delete(url); // deleting needs no space
                }
                previous = "; the previous sign-in ended at the server and is marked so here";
            }
        } catch (CoderSshException unreadable) {
            previous = "";
        }
        return CoderSshException.failure("signed in, but the new sign-in could not be saved (" + cause.getMessage() + ")"
                + previous + "; run `coder-ssh login " + url + "` again once that is fixed");
    }

    private Credentials storeSessionToken(DeploymentUrl url, String token) {
        if (token == null || token.isBlank()) {
            throw CoderSshException.usage("no session token given");
        }
        String t = token.strip();
        if (!HeaderRules.isTokenText(t)) {
            // Never echoed: it may be a secret pasted with a stray character.
            throw CoderSshException.usage("that is not a session token: a token is printable ASCII without spaces"
                    + " (copy it again from " + url.resolve("/cli-auth") + ")");
        }
        String user = username(url, t);
        Credentials c = new Credentials(url.toString(), Credentials.SESSION_TOKEN, t, null, core.clock().instant(), null,
                "", user, null, null, null, false);
        save(url, c);
        return c;
    }

    private void save(DeploymentUrl url, Credentials c) {
        save(url, c, null);
    }

    @SuppressWarnings("try") // the lock is held for the block, not referenced in it
    private void save(DeploymentUrl url, Credentials c, SpaceReservation reserved) {
        try (LockManager.Held held = core.locks().acquire(url, Tokens.DEFAULT_LOCK_TIMEOUT)) {
            core.store().save(c, reserved);
        }
    }

    /** {@code GET /api/v2/users/me} with a token not yet stored: proves it works, names the user. */
    private String username(DeploymentUrl url, String token) {
        HttpResponse r;
        try {
            r = core.transport().send(HttpRequest.get(url.resolve("/api/v2/users/me")).withHeader("Coder-Session-Token", token));
        } catch (IOException e) {
            throw CoderSshException.failure("cannot reach " + url + " to check the token");
        }
        if (r.status() == 401) {
            throw CoderSshException.authRequired("the token was rejected by " + url, url.toString());
        }
        if (r.status() == 403 || r.status() == 404) {
            // The token works but may not read the user (no user:read: scope-enforcing servers
            // answer 404): keep the sign-in, whose code is spent, rather than throw it away.
            err.println("Note: signed in, but the token may not read your user name (HTTP " + r.status()
                    + "; scope user:read missing?)");
            return null;
        }
        if (!r.isSuccessful()) {
            throw CoderSshException.failure("checking the token with " + url + " failed: HTTP " + r.status());
        }
        try {
            String name = JsonFields.string(Json.parseObject(r.bodyText()), "username");
            if (name == null) {
                throw CoderSshException.failure("unexpected users/me response from " + url);
            }
            return name;
        } catch (JsonException e) {
            throw CoderSshException.failure("unexpected users/me response from " + url);
        }
    }

    private BuildInfo buildInfo(DeploymentUrl url) {
        try {
            return CoderApis.create(url, core.transport(), core.tokens()).buildInfo();
        } catch (CoderSshException e) {
            if (e.getCause() instanceof javax.net.ssl.SSLException) {
                throw e; // already says what to do; it is a Coder deployment we cannot trust yet
            }
            throw CoderSshException.failure("cannot read " + url.resolve("/api/v2/buildinfo") + ": " + e.getMessage()
                    + " (is this a Coder deployment?)");
        }
    }

    /** {@code --with-token}: one line from stdin, hidden and prompted for when stdin is a terminal. */
    private String readToken() {
        boolean terminal = core.console().in() == System.in && dev.coderssh.core.cli.Terminal.stdinIsTerminal();
        PasteReader reader = new PasteReader(core.console().in(), err);
        try {
            String line = reader.read(terminal ? "Paste your session token: " : "", true);
            return line == null ? null : line.strip();
        } catch (IOException e) {
            throw CoderSshException.failure("cannot read the token from stdin");
        } finally {
            reader.restore();
        }
    }

    static String authorizeUrl(OAuthMetadata m, ClientRegistration client, String redirectUri, String scope, String state,
                               CodeVerifier verifier) {
        return AuthorizeUrl.of(m, client.clientId(), redirectUri, scope, state, verifier);
    }
}
