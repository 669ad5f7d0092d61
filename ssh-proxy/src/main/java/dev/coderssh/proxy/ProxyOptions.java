package dev.coderssh.proxy;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.cli.Args;
import dev.coderssh.core.cli.NetworkFlags;
import dev.coderssh.core.http.HttpOptions;
import java.util.List;
import java.util.Set;

/** {@code coder-ssh proxy}'s command line, validated. Null means "not given". */
record ProxyOptions(String url, String host, String hostPrefix, String hostnameSuffix, String coderBinary,
                    String direct, boolean disableAutostart, String waitMode, String logDir, String usageApp,
                    List<String> headers, String headerCommand, String tlsCaFile, String tlsCertFile,
                    String tlsKeyFile, boolean browserLogin, boolean verbose) {

    static final String USAGE = "usage: coder-ssh proxy [options] HOST (see coder-ssh proxy --help)";
    static final String HELP = String.join("\n",
            "Usage: coder-ssh proxy [options] HOST",
            "",
            "The ssh ProxyCommand (config-ssh writes it): tunnels stdin/stdout to workspace HOST, e.g.",
            "coder.WORKSPACE, coder.OWNER--WORKSPACE, coder.WORKSPACE.AGENT or WORKSPACE.SUFFIX.",
            "stdout is the SSH stream; everything for a person goes to stderr and the log.",
            "The deployment: --url, else $CODER_URL, else the only deployment signed in to.",
            "",
            "  --url URL               the deployment",
            "  --login none|browser    when not signed in: fail with exit 3 (none, default) or open the browser",
            "  --coder-binary PATH     use this Coder CLI instead of the one downloaded from the deployment",
            "  --direct HOST:PORT      relay to this address through the API instead of the CLI (tests, Coder Connect)",
            "  --host-prefix P         host name prefix (default coder.)",
            "  --ssh-host-prefix P     the same as --host-prefix (coder config-ssh's name)",
            "  --hostname-suffix S     also accept WORKSPACE.S names",
            "  --disable-autostart     do not start a stopped workspace",
            "  --wait yes|no|auto      wait for the startup script (passed to the CLI)",
            "  --log-dir DIR           the CLI's log directory",
            "  --usage-app NAME        the app name reported for usage stats (vscode, jetbrains, ...)",
            "  -v, --verbose           log each step to stderr",
            NetworkFlags.HELP.replace("  --allow-insecure-http   allow http:// for a non-loopback deployment\n", ""),
            "Exit codes: 0 session ended normally, 1 failure, 2 usage, 3 sign-in required, 4 not found",
            "");

    private static final Set<String> FLAGS = Set.of("--disable-autostart", "-v", "--verbose");
    private static final Set<String> OPTIONS = NetworkFlags.options("--url", "--host-prefix", "--ssh-host-prefix",
            "--hostname-suffix", "--coder-binary", "--direct", "--wait", "--log-dir", "--usage-app", "--login");

    static ProxyOptions parse(List<String> argv) {
        Args a = Args.parse(argv, FLAGS, OPTIONS);
        String host = a.positionals(1, 1, USAGE).get(0);
        String wait = a.value("--wait");
        if (wait != null && !wait.equals("yes") && !wait.equals("no") && !wait.equals("auto")) {
            throw CoderSshException.usage("--wait takes yes, no or auto");
        }
        String login = a.value("--login", "none");
        if (!login.equals("none") && !login.equals("browser")) {
            throw CoderSshException.usage("--login takes none or browser");
        }
        List<String> headers = NetworkFlags.headers(a);
        String prefix = a.value("--host-prefix", a.value("--ssh-host-prefix", "coder."));
        return new ProxyOptions(a.value("--url"), host, prefix, a.value("--hostname-suffix"),
                a.value("--coder-binary"), a.value("--direct"), a.flag("--disable-autostart"), wait,
                a.value("--log-dir"), a.value("--usage-app"), headers, a.value("--header-command"),
                NetworkFlags.value(a, NetworkFlags.CA), NetworkFlags.value(a, NetworkFlags.CERT),
                NetworkFlags.value(a, NetworkFlags.KEY),
                login.equals("browser"), a.flag("-v") || a.flag("--verbose"));
    }

    /** How core's HTTP client should reach the deployment; built only off the fast path. */
    HttpOptions httpOptions() {
        return NetworkFlags.http(headers, headerCommand, tlsCaFile, tlsCertFile, tlsKeyFile);
    }

}
