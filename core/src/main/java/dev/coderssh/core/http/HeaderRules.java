package dev.coderssh.core.http;

/**
 * What an extra HTTP header (from {@code --header} or {@code --header-command}) may hold: a name
 * that is an RFC 9110 token and a value of printable ASCII (a tab is allowed): no CR, LF or other
 * control bytes, and nothing the HTTP clients would refuse (non-ASCII).
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
                return "header name \"" + dev.coderssh.core.cli.TerminalText.line(name, 64) + "\" may hold only letters, digits and !#$%&'*+-.^_`|~";
            }
        }
        String value = nameEqualsValue.substring(eq + 1);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return "the value of header " + name + " contains a line break or control character";
            }
            if (c > 0x7f) {
                // RFC 9110 tolerates obs-text, but neither HTTP client sends it: refused here, in words.
                return "the value of header " + name + " contains a non-ASCII character (only printable ASCII can be sent)";
            }
        }
        return null;
    }

    /**
     * Whether {@code token} can travel as a bearer or session token: printable ASCII without spaces
     * (RFC 6749 appendix A.12 VSCHAR less space). Anything else is no token a server issued.
     */
    public static boolean isTokenText(String token) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }
}
