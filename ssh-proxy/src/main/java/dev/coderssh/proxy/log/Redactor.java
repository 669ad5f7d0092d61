package dev.coderssh.proxy.log;

import java.util.ArrayList;
import java.util.List;

/**
 * Removes secrets from a log line: every value registered with {@link #secret}, and anything shaped
 * like a Coder API key ({@code 10 chars-22 chars}) or refresh token ({@code coder_..._...}), so a
 * token that reaches a message by some unforeseen path still never reaches the file.
 */
public final class Redactor {
    static final String MARK = "<redacted>";
    private final List<String> secrets = new ArrayList<>();

    public void secret(String value) {
        if (value != null && value.length() >= 6) {
            secrets.add(value);
        }
    }

    public String redact(String line) {
        String s = line;
        for (int i = 0; i < secrets.size(); i++) {
            s = s.replace(secrets.get(i), MARK);
        }
        StringBuilder out = new StringBuilder(s.length());
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || !wordChar(s.charAt(i))) {
                String word = s.substring(start, i);
                out.append(looksSecret(word) ? MARK : word);
                if (i < s.length()) {
                    out.append(s.charAt(i));
                }
                start = i + 1;
            }
        }
        return out.toString();
    }

    private static boolean wordChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
    }

    static boolean looksSecret(String w) {
        if (w.startsWith("coder_") && w.indexOf('_', 6) > 6 && w.length() >= 20) {
            return true;
        }
        int dash = w.indexOf('-');
        return w.length() == 33 && dash == 10 && w.indexOf('-', 11) < 0 && w.indexOf('_') < 0;
    }
}
