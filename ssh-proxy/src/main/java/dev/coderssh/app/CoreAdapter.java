package dev.coderssh.app;

import dev.coderssh.core.api.CoderApi;
import dev.coderssh.core.api.CoderApis;
import dev.coderssh.core.cli.Console;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.http.HttpOptions;
import dev.coderssh.core.http.HttpTransport;
import dev.coderssh.core.http.HttpTransports;
import dev.coderssh.core.login.LoginGate;
import dev.coderssh.core.login.LoginOptions;
import dev.coderssh.core.login.SystemBrowser;
import dev.coderssh.core.store.Credentials;
import dev.coderssh.core.token.AccessToken;
import dev.coderssh.core.token.AccessTokens;
import dev.coderssh.proxy.CoreServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Core's object graph as the proxy and doctor see it. Built per command; the HTTP stack comes into
 * being only when a refresh, download or API call needs it, so the ProxyCommand's fast path (a fresh
 * token on disk) loads no HTTP client.
 */
final class CoreAdapter implements CoreServices {
    private final Console console;
    private final String version;
    private final dev.coderssh.core.CoreServices core;

    CoreAdapter(Console console, String version) {
        this.console = console;
        this.version = version;
        // Lean: the proxy's refresh is one POST, and OkHttp's class loading would cost several times it.
        this.core = dev.coderssh.core.CoreServices.createLean(console, defaults(console), version);
    }

    /** CODER_SSH_CA_FILE applies to refreshes too, as it does for the other commands. */
    private static HttpOptions defaults(Console console) {
        String ca = console.env("CODER_SSH_CA_FILE");
        return ca == null ? HttpOptions.defaults()
                : new HttpOptions(null, null, java.nio.file.Path.of(ca), null, null, null, null);
    }

    @Override
    public AccessTokens tokens() {
        return core.tokens();
    }

    @Override
    public List<DeploymentUrl> signedIn() {
        List<DeploymentUrl> out = new ArrayList<>();
        // Expired ones too: the only sign-in having expired is "run login" (exit 3), not "which one?".
        for (Credentials c : core.store().list()) {
            out.add(DeploymentUrl.parse(c.url(), true));
        }
        return out;
    }

    @Override
    public HttpTransport transport(HttpOptions options) {
        return HttpTransports.create(options, version, console.env());
    }

    /**
     * Lean, like the refresh: the direct transport makes two or three API calls before it relays,
     * and loading OkHttp for them cost each connection about 0.25 s of CPU.
     */
    @Override
    public CoderApi api(DeploymentUrl deployment, HttpOptions options) {
        return CoderApis.create(deployment, HttpTransports.createLean(options, version, console.env()), core.tokens());
    }

    @Override
    public AccessToken signInWithBrowser(DeploymentUrl deployment, HttpOptions options) {
        // Not interactive: in a ProxyCommand stdin/stdout are the SSH stream, never a terminal.
        LoginOptions login = new LoginOptions(deployment, null, null, null, false,
                Duration.ofMinutes(5), false, false);
        return new LoginGate(core, new SystemBrowser(console.env(), console.err())).signIn(login);
    }
}
