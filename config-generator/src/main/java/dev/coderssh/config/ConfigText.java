package dev.coderssh.config;

import java.util.ArrayList;
import java.util.List;

/**
 * An ssh config file split into lines that keep their own terminators, so that joining them gives
 * back the exact bytes: CRLF, a missing final newline and odd mixtures all survive a rewrite.
 */
record ConfigText(List<Line> lines) {

    /** One line: its text without terminator, and the terminator ("\n", "\r\n" or "" at EOF). */
    record Line(String text, String end) {
    }

    ConfigText {
        lines = List.copyOf(lines);
    }

    static ConfigText of(String content) {
        List<Line> lines = new ArrayList<>();
        int start = 0;
        int n = content.length();
        while (start < n) {
            int nl = content.indexOf('\n', start);
            if (nl < 0) {
                lines.add(new Line(content.substring(start), ""));
                break;
            }
            boolean crlf = nl > start && content.charAt(nl - 1) == '\r';
            lines.add(new Line(content.substring(start, crlf ? nl - 1 : nl), crlf ? "\r\n" : "\n"));
            start = nl + 1;
        }
        return new ConfigText(lines);
    }

    /** The line ending new lines should use: the file's first one, LF for a file without any. */
    String newline() {
        for (Line line : lines) {
            if (!line.end().isEmpty()) {
                return line.end();
            }
        }
        return "\n";
    }

    static String join(List<Line> lines) {
        StringBuilder sb = new StringBuilder();
        for (Line line : lines) {
            sb.append(line.text()).append(line.end());
        }
        return sb.toString();
    }
}
