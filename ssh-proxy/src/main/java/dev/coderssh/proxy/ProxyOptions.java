package dev.coderssh.proxy;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.cli.Args;
import dev.coderssh.core.http.HttpOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code coder-ssh proxy}'s command line, validated. Null means "not given". */
record ProxyOptions(String url, String host, String hostPrefix, String hostnameSuffix, String coderBinary,
                    String direct, boolean disableAutostart, String waitMode, String logDir, String usageApp,
                    List<String> headers, String headerCommand, String tlsCaFile, String tlsCertFile,
                    String tlsKeyFile, boolean browserLogin, boolean verbose) {

    static final String USAGE = "usage: coder-ssh proxy [--url URL] [--coder-binary PATH | --direct HOST:PORT] "
            + "[--host-prefix P] [--hostname-suffix S] [--disable-autostart] [--wait yes|no|auto] [--login none|browser] [-v] HOST";

    private static final Set<String> FLAGS = Set.of("--disable-autostart", "-v", "--verbose");
    private static final Set<String> OPTIONS = Set.of("--url", "--host-prefix", "--ssh-host-prefix",
            "--hostname-suffix", "--coder-binary", "--direct", "--wait", "--log-dir", "--usage-app", "--header",
            "--header-command", "--tls-ca-file", "--tls-cert-file", "--tls-key-file", "--login");

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
        List<String> headers = a.values("--header");
        for (int i = 0; i < headers.size(); i++) {
            String problem = dev.coderssh.core.http.HeaderRules.problem(headers.get(i));
            if (problem != null) {
                throw CoderSshException.usage("--header: " + problem);
            }
        }
        String prefix = a.value("--host-prefix", a.value("--ssh-host-prefix", "coder."));
        return new ProxyOptions(a.value("--url"), host, prefix, a.value("--hostname-suffix"),
                a.value("--coder-binary"), a.value("--direct"), a.flag("--disable-autostart"), wait,
                a.value("--log-dir"), a.value("--usage-app"), headers, a.value("--header-command"),
                a.value("--tls-ca-file"), a.value("--tls-cert-file"), a.value("--tls-key-file"),
                login.equals("browser"), a.flag("-v") || a.flag("--verbose"));
    }

    /** How core's HTTP client should reach the deployment; built only off the fast path. */
    HttpOptions httpOptions() {
        Map<String, String> h = new LinkedHashMap<>();
        for (String kv : headers) {
            int eq = kv.indexOf('=');
            h.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return new HttpOptions(h, headerCommand, HttpOptions.existing("--tls-ca-file", tlsCaFile),
                HttpOptions.existing("--tls-cert-file", tlsCertFile), HttpOptions.existing("--tls-key-file", tlsKeyFile),
                null, null);
    }

}
