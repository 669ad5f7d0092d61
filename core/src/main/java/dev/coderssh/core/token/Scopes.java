package dev.coderssh.core.token;

import java.util.LinkedHashSet;
import java.util.Set;

/** Space-separated scope lists (RFC 6749 section 3.3). */
public final class Scopes {
    private Scopes() {
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
