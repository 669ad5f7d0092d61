package dev.coderssh.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A small model of OpenSSH's config evaluation, enough to say which line sets an option for a host:
 * {@code Host} patterns (with {@code !} negation), {@code Match all} / {@code host} /
 * {@code originalhost}, {@code Include} (globs, relative to ~/.ssh), first value wins. Used when
 * {@code ssh} is missing and, always, to name the file and line that {@code ssh -G} cannot.
 * Match criteria it cannot evaluate (exec, user, ...) count as not matching.
 */
final class ConfigResolver {
    /** Where a keyword's first value came from; {@code line} is 1-based, {@code text} the line itself. */
    record Origin(Path file, int line, String text) {
    }

    private static final int MAX_DEPTH = 16;
    private final Path home;
    private final Map<Path, List<String>> includeCache = new HashMap<>();
    /** Glob results, cached: 5,000 hosts must not list a directory 5,000 times. */
    private final Map<String, List<Path>> expandCache = new HashMap<>();

    /** Relative Include paths of user config files (including -F ones) resolve against ~/.ssh. */
    ConfigResolver(Path home) {
        this.home = home;
    }

    /**
     * The first origin of each keyword in {@code keys} (lower case) for {@code host}, walking
     * {@code lines} of {@code file} up to (not including) line index {@code stopAt}.
     */
    Map<String, Origin> resolve(Path file, List<String> lines, int stopAt, String host, Set<String> keys) {
        Map<String, Origin> found = new HashMap<>();
        walk(file, lines, stopAt, host.toLowerCase(Locale.ROOT), keys, found, 0);
        return found;
    }

    private void walk(Path file, List<String> lines, int stopAt, String host, Set<String> keys,
                      Map<String, Origin> found, int depth) {
        boolean active = true;
        for (int i = 0; i < Math.min(stopAt, lines.size()) && found.size() < keys.size(); i++) {
            String[] kv = keyValue(lines.get(i));
            if (kv == null) {
                continue;
            }
            String key = kv[0];
            if (key.equals("host")) {
                active = hostMatches(host, kv[1].split("[ \t]+"));
            } else if (key.equals("match")) {
                active = matchMatches(host, kv[1].split("[ \t]+"));
            } else if (key.equals("include")) {
                if (active && depth < MAX_DEPTH) {
                    for (String pattern : kv[1].split("[ \t]+")) {
                        for (Path inc : expandCache.computeIfAbsent(pattern, this::expand)) {
                            List<String> incLines = read(inc);
                            walk(inc, incLines, incLines.size(), host, keys, found, depth + 1);
                        }
                    }
                }
            } else if (active && keys.contains(key) && !found.containsKey(key)) {
                found.put(key, new Origin(file, i + 1, lines.get(i).strip()));
            }
        }
    }

    /** {@code [lower-case keyword, value]}, or null for a blank or comment line. */
    static String[] keyValue(String line) {
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) {
            return null;
        }
        int i = 0;
        while (i < t.length() && t.charAt(i) != ' ' && t.charAt(i) != '\t' && t.charAt(i) != '=') {
            i++;
        }
        String key = t.substring(0, i).toLowerCase(Locale.ROOT);
        String rest = t.substring(i).strip();
        if (rest.startsWith("=")) {
            rest = rest.substring(1).strip();
        }
        return new String[] {key, rest};
    }

    static boolean hostMatches(String host, String[] patterns) {
        boolean matched = false;
        for (String p : patterns) {
            if (p.isEmpty()) {
                continue;
            }
            if (p.startsWith("!")) {
                if (glob(p.substring(1), host)) {
                    return false;
                }
            } else if (glob(p, host)) {
                matched = true;
            }
        }
        return matched;
    }

    private static boolean matchMatches(String host, String[] criteria) {
        for (int i = 0; i < criteria.length; i++) {
            String c = criteria[i].toLowerCase(Locale.ROOT);
            boolean negate = c.startsWith("!");
            c = negate ? c.substring(1) : c;
            boolean result;
            if (c.equals("all")) {
                result = true;
            } else if ((c.equals("host") || c.equals("originalhost")) && i + 1 < criteria.length) {
                result = hostMatches(host, criteria[++i].split(","));
            } else {
                return false;
            }
            if (result == negate) {
                return false;
            }
        }
        return criteria.length > 0;
    }

    /** OpenSSH's match_pattern: '*' and '?' wildcards, case-insensitive (ssh lower-cases the host). */
    static boolean glob(String pattern, String s) {
        String p = pattern.toLowerCase(Locale.ROOT);
        int pi = 0;
        int si = 0;
        int star = -1;
        int mark = 0;
        while (si < s.length()) {
            if (pi < p.length() && (p.charAt(pi) == '?' || p.charAt(pi) == s.charAt(si))) {
                pi++;
                si++;
            } else if (pi < p.length() && p.charAt(pi) == '*') {
                star = pi++;
                mark = si;
            } else if (star >= 0) {
                pi = star + 1;
                si = ++mark;
            } else {
                return false;
            }
        }
        while (pi < p.length() && p.charAt(pi) == '*') {
            pi++;
        }
        return pi == p.length();
    }

    private List<Path> expand(String pattern) {
        Path p;
        try {
            p = pattern.startsWith("~/") ? home.resolve(pattern.substring(2)) : Path.of(pattern);
        } catch (RuntimeException e) {
            return List.of();
        }
        if (!p.isAbsolute()) {
            p = home.resolve(".ssh").resolve(p);
        }
        List<Path> out = new ArrayList<>();
        String name = p.getFileName() == null ? "" : p.getFileName().toString();
        if (name.indexOf('*') < 0 && name.indexOf('?') < 0) {
            if (Files.isRegularFile(p)) {
                out.add(p);
            }
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(p.getParent(), name)) {
            ds.forEach(out::add);
        } catch (IOException | RuntimeException e) {
            return out;
        }
        out.sort(null);
        return out;
    }

    private List<String> read(Path file) {
        return includeCache.computeIfAbsent(file, f -> {
            try {
                List<String> lines = new ArrayList<>();
                for (ConfigText.Line l : ConfigText.of(Files.readString(f, StandardCharsets.ISO_8859_1)).lines()) {
                    lines.add(l.text());
                }
                return lines;
            } catch (IOException | RuntimeException e) {
                return List.of();
            }
        });
    }
}
