package dev.coderssh.core.cli;

/**
 * Text from outside (a server's answer, a program's output, a host name) made safe to print on a
 * terminal or write to a log line: every control character is written as {@code \xNN}, so it can
 * neither drive the terminal (an ESC sequence retitling it or moving the cursor) nor forge a line.
 * SECURITY.md, "the terminal-escaping rule".
 */
public final class TerminalText {
    private TerminalText() {
    }

    /**
     * {@code s} with C0 controls (CR and LF included), DEL, C1 controls (U+0080 to U+009F, read as
     * CSI and the like by some terminals) and the Unicode line and paragraph separators written as
     * {@code \xNN}; null stays null. An ESC sequence keeps its printable tail, but without its ESC
     * it is plain text.
     */
    public static String escape(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isControl(c)) {
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                sb.append("\\x").append(c < 0x100 ? hex2(c) : hex4(c));
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }

    /** {@link #escape} of {@code s}, stripped and cut to at most {@code max} characters ("" for null). */
    public static String line(String s, int max) {
        if (s == null) {
            return "";
        }
        String e = escape(s.strip());
        return e.length() <= max ? e : e.substring(0, max);
    }

    /** Whether {@code c} would act on a terminal or end a line rather than print. */
    public static boolean isControl(char c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029';
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static String hex2(char c) {
        return new String(new char[] {HEX[(c >> 4) & 0xf], HEX[c & 0xf]});
    }

    private static String hex4(char c) {
        return new String(new char[] {HEX[(c >> 12) & 0xf], HEX[(c >> 8) & 0xf], HEX[(c >> 4) & 0xf], HEX[c & 0xf]});
    }
}
