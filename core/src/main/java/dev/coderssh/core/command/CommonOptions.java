package dev.coderssh.core.command;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.CoreServices;
import dev.coderssh.core.cli.Args;
import dev.coderssh.core.cli.Console;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.http.HttpOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Options every networked command shares: headers, CA file, client certificate, insecure http. */
final class CommonOptions {
    static final Set<String> FLAGS = Set.of("--allow-insecure-http");
    static final Set<String> OPTIONS = Set.of("--header", "--header-command", "--ca-file", "--client-cert", "--client-key");
    static final String HELP = String.join("\n",
            "  --header K=V            extra HTTP header (repeatable)",
            "  --header-command CMD    command printing K=V header lines",
            "  --ca-file FILE          extra trusted CA certificates (PEM)",
            "  --client-cert FILE      client certificate (PEM) with --client-key FILE (PKCS#8 PEM)",
            "  --allow-insecure-http   allow http:// for a non-loopback deployment",
            "");

    private CommonOptions() {
    }

    static Set<String> flags(String... more) {
        return union(FLAGS, more);
    }

    static Set<String> options(String... more) {
        return union(OPTIONS, more);
    }

    private static Set<String> union(Set<String> base, String... more) {
        java.util.HashSet<String> s = new java.util.HashSet<>(base);
        s.addAll(List.of(more));
        s.add("--help");
        return s;
    }

    static HttpOptions http(Args a, Console console) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h : a.values("--header")) {
            int eq = h.indexOf('=');
            String problem = dev.coderssh.core.http.HeaderRules.problem(h);
            if (problem != null) {
                throw CoderSshException.usage("--header: " + problem);
            }
            headers.put(h.substring(0, eq), h.substring(eq + 1));
        }
        String ca = a.value("--ca-file", console.env("CODER_SSH_CA_FILE"));
        String cert = a.value("--client-cert");
        String key = a.value("--client-key");
        if ((cert == null) != (key == null)) {
            throw CoderSshException.usage("--client-cert and --client-key go together");
        }
        return new HttpOptions(headers, a.value("--header-command"), HttpOptions.existing("--ca-file", ca),
                HttpOptions.existing("--client-cert", cert), HttpOptions.existing("--client-key", key), null, null);
    }

    static CoreServices services(Args a, Console console, String version) {
        return CoreServices.create(console, http(a, console), version);
    }

    static DeploymentUrl url(String text, Args a) {
        return DeploymentUrl.parse(text, a.flag("--allow-insecure-http"));
    }
}
