package dev.coderssh.core.command;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.CoreServices;
import dev.coderssh.core.ExitCode;
import dev.coderssh.core.cli.Args;
import dev.coderssh.core.cli.Command;
import dev.coderssh.core.cli.Console;
import dev.coderssh.core.cli.NetworkFlags;
import dev.coderssh.core.cli.TerminalText;
import dev.coderssh.core.login.Browser;
import dev.coderssh.core.login.LoginFlow;
import dev.coderssh.core.login.LoginOptions;
import dev.coderssh.core.login.SystemBrowser;
import dev.coderssh.core.store.Credentials;
import dev.coderssh.core.scope.ScopeCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/** {@code coder-ssh login <url>}: browser sign-in (OAuth 2.1 + PKCE) or a pasted session token. */
public final class LoginCommand implements Command {
    static final String HELP = String.join("\n",
            "Usage: coder-ssh login [<deployment-url>] [options]",
            "",
            "Signs in through the browser (OAuth 2.1, PKCE) and stores a short-lived access token plus a",
            "refresh token. The sign-in URL is always printed on stderr as well.",
            CommonOptions.CHOICE_HELP,
            CommonOptions.URL_HELP,
            "  --scope \"S1 S2\"          scopes to ask for, sent as given (default: what SSH needs, among the",
            "                          scopes the server lists: " + String.join(" ", ScopeCatalog.DEFAULT) + ")",
            "  --no-browser            only print the URL",
            "  --timeout DURATION      how long to wait for the browser, e.g. 90s, 10m (default 5m)",
            "  --with-token            read a Coder session token from stdin instead (no browser)",
            "  --token-stdin           the same as --with-token",
            "  --client-id ID          use an admin-created OAuth2 app instead of registering one",
            "  --client-secret-file F  file holding that app's client secret",
            "  --callback-port N       that app's callback URL is http://127.0.0.1:N/callback (stored with it)",
            "  --redirect-uri URI      that app's callback URL, another loopback path (stored with it)",
            "  --store file|keyring    keep the tokens in the credentials file (default) or the OS keyring",
            "                          (Secret Service, macOS Keychain); remembered per deployment",
            NetworkFlags.HELP);
    private final String version;
    private final Function<Console, Browser> browsers;
    private final BooleanSupplier interactive;

    public LoginCommand(String version) {
        this(version, SystemBrowserFactory.INSTANCE, new BooleanSupplier() {
            @Override
            public boolean getAsBoolean() {
                return dev.coderssh.core.cli.Terminal.stdinIsTerminal();
            }
        });
    }

    /** For tests: a fake browser and a fixed answer to "is stdin a terminal". */
    public LoginCommand(String version, Function<Console, Browser> browsers, BooleanSupplier interactive) {
        this.version = version;
        this.browsers = browsers;
        this.interactive = interactive;
    }

    @Override
    public int run(List<String> argv, Console console) {
        Args a = Args.parse(argv, CommonOptions.flags("--no-browser", "--token-stdin", "--with-token"),
                CommonOptions.options("--scope", "--timeout", "--client-id", "--client-secret-file", "--store",
                        "--callback-port", "--redirect-uri"));
        // gh's name and ours: both read the token from stdin.
        boolean tokenStdin = a.flag("--token-stdin") || a.flag("--with-token");
        String secretFile = a.value("--client-secret-file");
        String port = a.value("--callback-port");
        String redirect = a.value("--redirect-uri");
        if (port != null && redirect != null) {
            throw CoderSshException.usage("--callback-port and --redirect-uri: give one");
        }
        Duration timeout = duration(a.value("--timeout", "5m"));
        CoreServices core = CommonOptions.services(a, console, version);
        LoginOptions o = new LoginOptions(CommonOptions.deployment(a, console, core, "login", false), a.value("--scope"),
                a.value("--client-id"), secretFile == null ? null : Path.of(secretFile), a.flag("--no-browser"),
                timeout, tokenStdin, !tokenStdin && interactive.getAsBoolean(),
                port != null ? LoginOptions.callbackOnPort(port) : redirect);
        core.store().placement().chooseForLogin(o.url(), a.value("--store"));
        Credentials c = new LoginFlow(core, browsers.apply(console)).run(o);
        // The user name and the scopes are the server's words: escaped (SECURITY.md, terminal-escaping rule).
        console.err().println("Signed in to " + c.url() + " as " + (c.username() == null ? "(unknown user)"
                : TerminalText.escape(c.username()))
                + (!c.isOAuth() ? " (session token)"
                        : ScopeCatalog.unrestricted(c.scope()) ? " (unrestricted: all your account can do; token refreshes automatically)"
                        : c.scope().isEmpty() ? " (scopes not shown by the server; token refreshes automatically)"
                        : " (scopes: " + TerminalText.escape(c.scope()) + "; token refreshes automatically)"));
        console.err().println("Tokens stored in " + core.store().location(o.url()) + ".");
        console.err().println("Next: `coder-ssh config-ssh " + c.url() + "` adds your workspaces to ~/.ssh/config;"
                + " then `ssh coder.<workspace>` or pick the host in your IDE.");
        return ExitCode.OK.code();
    }

    @Override
    public String help() {
        return HELP;
    }

    static Duration duration(String s) {
        try {
            String t = s.strip().toLowerCase(java.util.Locale.ROOT);
            Duration d;
            if (t.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else if (t.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            } else if (t.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            } else if (t.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
            } else {
                d = Duration.ofSeconds(Long.parseLong(t));
            }
            if (d.isNegative() || d.isZero()) {
                throw CoderSshException.usage("--timeout must be positive");
            }
            if (d.compareTo(MAX_TIMEOUT) > 0) {
                // A person is at the browser: a day is already far past any sign-in.
                throw CoderSshException.usage("--timeout: at most 24h (got " + s + ")");
            }
            return d;
        } catch (NumberFormatException | ArithmeticException e) {
            throw CoderSshException.usage("--timeout: not a duration: " + s + " (e.g. 90s, 5m)");
        }
    }

    static final Duration MAX_TIMEOUT = Duration.ofHours(24);

    private static final class SystemBrowserFactory implements Function<Console, Browser> {
        static final SystemBrowserFactory INSTANCE = new SystemBrowserFactory();

        @Override
        public Browser apply(Console console) {
            return new SystemBrowser(console.env(), console.err());
        }
    }
}
