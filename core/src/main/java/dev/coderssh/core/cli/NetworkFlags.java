package dev.coderssh.core.cli;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.http.HeaderRules;
import dev.coderssh.core.http.HttpOptions;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one spelling of the options every networked command takes (headers as the Coder CLI names
 * them, TLS as {@code --tls-*}), with the older login spellings kept as aliases so scripts and
 * ssh configs written before still work.
 */
public final class NetworkFlags {
    public static final String CA = "--tls-ca-file";
    public static final String CERT = "--tls-cert-file";
    public static final String KEY = "--tls-key-file";
    public static final String HEADER = "--header";
    public static final String HEADER_COMMAND = "--header-command";
    public static final String INSECURE = "--allow-insecure-http";
    /** Every name, aliases included, that takes a value. */
    public static final Set<String> OPTIONS = Set.of(HEADER, HEADER_COMMAND, CA, CERT, KEY,
            "--ca-file", "--client-cert", "--client-key");
    public static final String HELP = String.join("\n",
            "  --header K=V            extra HTTP header (repeatable)",
            "  --header-command CMD    command printing K=V header lines",
            "  --tls-ca-file FILE      extra trusted CA certificates, PEM (old name --ca-file; or $CODER_SSH_CA_FILE)",
            "  --tls-cert-file FILE    TLS client certificate, PEM (old name --client-cert)",
            "  --tls-key-file FILE     its private key, PKCS#8 PEM (old name --client-key)",
            "  --allow-insecure-http   allow http:// for a non-loopback deployment",
            "");

    private NetworkFlags() {
    }

    /** {@code more} plus every network option; {@code flags} also gets {@link #INSECURE}. */
    public static Set<String> options(String... more) {
        Set<String> s = new HashSet<>(OPTIONS);
        s.addAll(List.of(more));
        return s;
    }

    public static Set<String> flags(String... more) {
        Set<String> s = new HashSet<>(List.of(more));
        s.add(INSECURE);
        return s;
    }

    /** The CA file: {@code --tls-ca-file}, its old name, then $CODER_SSH_CA_FILE. */
    public static String caFile(Args a, Console console) {
        String given = value(a, CA);
        return given != null ? given : console.env("CODER_SSH_CA_FILE");
    }

    /** The value of a canonical option, or of its old name when only that was given. */
    public static String value(Args a, String canonical) {
        String v = a.value(canonical);
        if (v != null) {
            return v;
        }
        return switch (canonical) {
            case CA -> a.value("--ca-file");
            case CERT -> a.value("--client-cert");
            case KEY -> a.value("--client-key");
            default -> null;
        };
    }

    /** Each {@code --header}, checked: a header that would split the request is a usage error. */
    public static List<String> headers(Args a) {
        List<String> headers = a.values(HEADER);
        for (int i = 0; i < headers.size(); i++) {
            String problem = HeaderRules.problem(headers.get(i));
            if (problem != null) {
                throw CoderSshException.usage(HEADER + ": " + problem);
            }
        }
        return headers;
    }

    /** The HTTP options these flags describe; files named are checked to exist. */
    public static HttpOptions http(Args a, Console console) {
        return http(headers(a), a.value(HEADER_COMMAND), caFile(a, console), value(a, CERT), value(a, KEY),
                new String[] {given(a, CA, "--ca-file"), given(a, CERT, "--client-cert"), given(a, KEY, "--client-key")});
    }

    /** The same from values already taken apart (the proxy keeps them as strings until needed). */
    public static HttpOptions http(List<String> headers, String headerCommand, String ca, String cert, String key) {
        return http(headers, headerCommand, ca, cert, key, new String[] {CA, CERT, KEY});
    }

    /** The name the user typed, so an error names what they can find in their command line. */
    private static String given(Args a, String canonical, String alias) {
        return a.value(canonical) == null && a.value(alias) != null ? alias : canonical;
    }

    private static HttpOptions http(List<String> headers, String headerCommand, String ca, String cert, String key,
                                    String[] names) {
        if ((cert == null) != (key == null)) {
            throw CoderSshException.usage(names[1] + " and " + names[2] + " go together");
        }
        Map<String, String> h = new LinkedHashMap<>();
        for (String kv : headers) {
            int eq = kv.indexOf('=');
            h.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return new HttpOptions(h, headerCommand, HttpOptions.existing(names[0], ca), HttpOptions.existing(names[1], cert),
                HttpOptions.existing(names[2], key), null, null);
    }
}
