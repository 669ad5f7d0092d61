package dev.coderssh.core.http;

/**
 * What an extra HTTP header (from {@code --header} or {@code --header-command}) may hold: a name
 * that is an RFC 9110 token and a value without CR, LF or other control bytes (a tab is allowed).
 * A CR/LF would split the request (header injection); the HTTP clients would refuse the rest later
 * with an exception, so they are refused here first, in words.
 */
public final class HeaderRules {
    private static final String TOKEN_PUNCTUATION = "!#$%&'*+-.^_`|~";

    private HeaderRules() {
    }

    /** Why {@code NAME=VALUE} is not a header we send, or null when it is one. */
    public static String problem(String nameEqualsValue) {
        int eq = nameEqualsValue.indexOf('=');
        if (eq <= 0) {
            return "a header is NAME=VALUE";
        }
        String name = nameEqualsValue.substring(0, eq);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c < 0x80 && (Character.isLetterOrDigit(c) || TOKEN_PUNCTUATION.indexOf(c) >= 0))) {
                return "header name \"" + printable(name) + "\" may hold only letters, digits and !#$%&'*+-.^_`|~";
            }
        }
        String value = nameEqualsValue.substring(eq + 1);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return "the value of header " + name + " contains a line break or control character";
            }
        }
        return null;
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return sb.toString();
    }
}
