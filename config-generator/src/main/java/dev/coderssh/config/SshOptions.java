package dev.coderssh.config;

import dev.coderssh.core.CoderSshException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The options written under our Host line. OpenSSH keeps the first value it sees for a key, so we
 * write each key once, chosen by priority: the user's {@code -o}, then the deployment's
 * {@code ssh_config_options}, then our defaults. An empty user value removes the key altogether.
 */
final class SshOptions {
    record Option(String key, String value) {
    }

    private SshOptions() {
    }

    /** Parses one {@code -o} argument: {@code Key=Value} or {@code Key Value}; Value may be empty. */
    static Option parseUserOption(String arg) {
        String trimmed = arg.strip();
        int sep = -1;
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c == '=' || c == ' ' || c == '\t') {
                sep = i;
                break;
            }
        }
        String key = sep < 0 ? trimmed : trimmed.substring(0, sep);
        String value = sep < 0 ? "" : trimmed.substring(sep + 1).strip();
        if (!validKey(key)) {
            throw CoderSshException.usage("-o " + Names.describe(arg) + ": expected KEY=VALUE with an ssh_config keyword");
        }
        if (Names.hasLineBreakOrNul(value)) {
            throw CoderSshException.usage("-o " + key + ": value contains a line break or NUL");
        }
        return new Option(key, value);
    }

    /**
     * A keyword allowed as an option line. Host and Match would open a new section (taking over
     * hosts outside our prefix) and Include would pull in another file, so neither the user's
     * {@code -o} nor the deployment's options may use them.
     */
    static boolean validKey(String key) {
        if (key.isEmpty() || key.length() > 64) {
            return false;
        }
        String lower = key.toLowerCase(Locale.ROOT);
        if (lower.equals("host") || lower.equals("match") || lower.equals("include")) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Merges the three sources. Deployment options that are not a plain keyword and a one-line value
     * are dropped with a warning added to {@code warnings}: they come from the network.
     */
    static List<Option> merge(List<Option> user, Map<String, String> deployment, List<Option> defaults,
                              List<String> warnings) {
        Map<String, Option> chosen = new LinkedHashMap<>();
        for (Option o : user) {
            chosen.putIfAbsent(o.key().toLowerCase(Locale.ROOT), o);
        }
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(deployment).entrySet()) {
            String key = e.getKey();
            String value = e.getValue() == null ? "" : e.getValue().strip();
            if (!validKey(key) || Names.hasLineBreakOrNul(value) || value.isEmpty()) {
                warnings.add("ignoring the deployment's ssh option " + Names.describe(key)
                        + ": not a keyword with a one-line value");
                continue;
            }
            chosen.putIfAbsent(key.toLowerCase(Locale.ROOT), new Option(key, value));
        }
        for (Option o : defaults) {
            chosen.putIfAbsent(o.key().toLowerCase(Locale.ROOT), o);
        }
        List<Option> out = new ArrayList<>();
        for (Option o : chosen.values()) {
            if (!o.value().isEmpty()) {
                out.add(o);
            }
        }
        return out;
    }
}
