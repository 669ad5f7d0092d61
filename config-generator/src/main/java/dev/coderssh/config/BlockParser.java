package dev.coderssh.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds this deployment's managed block. Refuses (rather than guesses) when markers are duplicated,
 * out of order, unbalanced or nested: a guess once deleted users' hosts (vscode-coder#504).
 */
final class BlockParser {
    static final String START_PREFIX = "# --- START CODER-SSH ";
    static final String END_PREFIX = "# --- END CODER-SSH ";
    static final String MARKER_SUFFIX = " ---";
    static final String OPTION_PREFIX = "# :";

    private BlockParser() {
    }

    static String startMarker(String authority) {
        return START_PREFIX + authority + MARKER_SUFFIX;
    }

    static String endMarker(String authority) {
        return END_PREFIX + authority + MARKER_SUFFIX;
    }

    static Parsed parse(String content, String authority) {
        ConfigText text = ConfigText.of(content);
        String start = startMarker(authority);
        String end = endMarker(authority);
        List<String> problems = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        List<Integer> ends = new ArrayList<>();
        List<Integer> anyMarker = new ArrayList<>();
        List<ConfigText.Line> lines = text.lines();
        for (int i = 0; i < lines.size(); i++) {
            // Trailing blanks are tolerated: an editor may add them, and missing our own marker
            // because of them would append a second block.
            String t = lines.get(i).text().strip();
            if (t.equals(start)) {
                starts.add(i);
            } else if (t.equals(end)) {
                ends.add(i);
            }
            if (t.startsWith(START_PREFIX) || t.startsWith(END_PREFIX)) {
                anyMarker.add(i);
            }
        }
        if (starts.isEmpty() && ends.isEmpty()) {
            return new Parsed.NoBlock(text);
        }
        if (starts.size() > 1) {
            problems.add("duplicate START markers for " + authority + " on lines " + oneBased(starts));
        }
        if (ends.size() > 1) {
            problems.add("duplicate END markers for " + authority + " on lines " + oneBased(ends));
        }
        if (starts.isEmpty()) {
            problems.add("END marker for " + authority + " on line " + (ends.get(0) + 1) + " has no START marker");
        }
        if (ends.isEmpty()) {
            problems.add("START marker for " + authority + " on line " + (starts.get(0) + 1) + " has no END marker");
        }
        if (problems.isEmpty() && ends.get(0) < starts.get(0)) {
            problems.add("END marker for " + authority + " on line " + (ends.get(0) + 1)
                    + " comes before its START marker on line " + (starts.get(0) + 1));
        }
        if (problems.isEmpty()) {
            int s = starts.get(0);
            int e = ends.get(0);
            for (int i : anyMarker) {
                if (i > s && i < e) {
                    problems.add("another coder-ssh marker on line " + (i + 1) + " inside the block for "
                            + authority + " (lines " + (s + 1) + "-" + (e + 1) + ")");
                }
            }
            if (problems.isEmpty()) {
                return new Parsed.Block(text, s, e, previousOptions(lines.subList(s + 1, e)));
            }
        }
        return new Parsed.Malformed(text, problems);
    }

    private static List<Map.Entry<String, String>> previousOptions(List<ConfigText.Line> body) {
        List<Map.Entry<String, String>> options = new ArrayList<>();
        for (ConfigText.Line line : body) {
            String t = line.text();
            if (t.startsWith(OPTION_PREFIX)) {
                int eq = t.indexOf('=');
                if (eq > OPTION_PREFIX.length()) {
                    options.add(Map.entry(t.substring(OPTION_PREFIX.length(), eq), t.substring(eq + 1)));
                }
            }
        }
        return options;
    }

    private static String oneBased(List<Integer> indexes) {
        StringBuilder sb = new StringBuilder();
        for (int i : indexes) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(i + 1);
        }
        return sb.toString();
    }
}
