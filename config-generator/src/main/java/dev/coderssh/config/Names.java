package dev.coderssh.config;

/**
 * Coder's name rules, checked before anything reaches the ssh config: a name from the API is
 * outside input, and a newline or a space in it would let a deployment inject ssh options
 * (ProxyCommand runs a shell command) into the user's file.
 */
final class Names {
    /** Coder caps names at 32 characters; 64 leaves room without letting 10 KB through. */
    static final int MAX_LENGTH = 64;

    private Names() {
    }

    /** Workspace and user names: letters, digits, single inner hyphens. */
    static boolean validName(String name) {
        return valid(name, false);
    }

    /** Agent names: as {@link #validName} plus underscore. */
    static boolean validAgentName(String name) {
        return valid(name, true);
    }

    /**
     * Host prefixes: letters, digits, '.', '-', '_', and no pattern characters ('*', '?', '!')
     * since they would widen what our Host lines match.
     */
    static boolean validPrefix(String prefix) {
        if (prefix == null || prefix.isEmpty() || prefix.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (!(isAlnum(c) || c == '.' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Hostname suffixes ({@code coder}, {@code corp.internal}): DNS-style labels of letters, digits
     * and '-', joined by single dots, given without the leading dot as {@code coder ssh} wants it.
     */
    static boolean validSuffix(String suffix) {
        if (suffix == null || suffix.isEmpty() || suffix.length() > MAX_LENGTH || suffix.startsWith(".")
                || suffix.endsWith(".") || suffix.contains("..")) {
            return false;
        }
        for (int i = 0; i < suffix.length(); i++) {
            char c = suffix.charAt(i);
            if (!(isAlnum(c) || c == '.' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static boolean valid(String name, boolean underscore) {
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH) {
            return false;
        }
        // "--" separates owner, workspace and agent in host names, so a name must not contain it.
        if (name.startsWith("-") || name.endsWith("-") || name.contains("--")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(isAlnum(c) || c == '-' || (underscore && c == '_'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** True when {@code s} holds CR, LF or NUL, which can never be written to the file. */
    static boolean hasLineBreakOrNul(String s) {
        return s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\0') >= 0;
    }

    /** A name made printable and short for a warning, since it may be hostile. */
    static String describe(String name) {
        if (name == null) {
            return "(null)";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < name.length() && i < 40; i++) {
            char c = name.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        if (name.length() > 40) {
            sb.append("...(").append(name.length()).append(" chars)");
        }
        return sb.append('"').toString();
    }
}
