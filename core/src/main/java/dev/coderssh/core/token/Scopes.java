package dev.coderssh.core.token;

import java.util.LinkedHashSet;
import java.util.Set;

/** Space-separated scope lists (RFC 6749 section 3.3). */
public final class Scopes {
    /** The most of a granted scope list a sign-in keeps (Coder grants a few hundred characters). */
    public static final int MAX_STORED_CHARS = 4096;
    /** Longer than any scope a server defines; such an entry is dropped when the list is capped. */
    static final int MAX_SCOPE_CHARS = 128;

    private Scopes() {
    }

    /**
     * {@code scope} as stored: unchanged up to {@link #MAX_STORED_CHARS}; past that, its distinct
     * scopes of a sane length, in order, while they fit. A server that answers megabytes of scope
     * must not make the stored sign-in unreadable (the store reads at most 1 MiB).
     */
    public static String capped(String scope) {
        if (scope == null || scope.length() <= MAX_STORED_CHARS) {
            return scope;
        }
        StringBuilder kept = new StringBuilder();
        for (String s : parse(scope)) {
            if (s.length() > MAX_SCOPE_CHARS) {
                continue;
            }
            if (kept.length() + 1 + s.length() > MAX_STORED_CHARS) {
                break;
            }
            kept.append(kept.length() == 0 ? "" : " ").append(s);
        }
        return kept.toString();
    }

    public static Set<String> parse(String scope) {
        Set<String> out = new LinkedHashSet<>();
        if (scope == null) {
            return out;
        }
        for (String s : scope.split(" ")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }
}
