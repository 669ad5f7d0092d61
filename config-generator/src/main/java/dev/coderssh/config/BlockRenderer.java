package dev.coderssh.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders the managed block's lines (without terminators).
 *
 * <p>Layout. With the wildcard, each workspace name appears on option-less {@code Host} lines and
 * the options are written once, under {@code Host <prefix>*}: OpenSSH applies every section whose
 * pattern matches, so {@code coder.dev} gets them from the wildcard, and IDE pickers (which cannot
 * list a wildcard, coder/coder#17153) still see every name. That costs about one name's bytes per
 * workspace: 5,000 workspaces stay near 100 KB. Names are wrapped at {@link #MAX_HOST_LINE} chars
 * because OpenSSH before 8.x read config lines into a fixed 4 KB buffer. Without the wildcard, each
 * wrapped name line carries its own copy of the options.
 */
final class BlockRenderer {
    static final int MAX_HOST_LINE = 1000;

    private BlockRenderer() {
    }

    static List<String> render(String authority, String deploymentUrl, GenerationOptions gen, List<String> hostNames,
                               List<SshOptions.Option> options) {
        List<String> lines = new ArrayList<>();
        lines.add(BlockParser.startMarker(authority));
        lines.add("# Managed by coder-ssh for " + deploymentUrl + ": edits inside this block are replaced.");
        lines.add("# Refresh: coder-ssh config-ssh " + deploymentUrl + " --use-previous-options");
        lines.add("# Generated with:");
        lines.addAll(gen.toComments());
        List<String> hostLines = wrap(gen.workspaces() ? hostNames : List.of());
        if (gen.wildcard()) {
            for (String h : hostLines) {
                lines.add("Host " + h);
            }
            lines.add("Host " + gen.hostPrefix() + "*");
            appendOptions(lines, options);
        } else {
            for (String h : hostLines) {
                lines.add("Host " + h);
                appendOptions(lines, options);
            }
        }
        lines.add(BlockParser.endMarker(authority));
        for (String line : lines) {
            if (Names.hasLineBreakOrNul(line)) {
                // Every input was validated; reaching this is a bug, and the file must not pay for it.
                throw new IllegalStateException("refusing to write a line with CR, LF or NUL");
            }
        }
        return lines;
    }

    private static void appendOptions(List<String> lines, List<SshOptions.Option> options) {
        for (SshOptions.Option o : options) {
            lines.add("  " + o.key() + " " + o.value());
        }
    }

    private static List<String> wrap(List<String> names) {
        List<String> out = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String name : names) {
            if (line.length() > 0 && line.length() + 1 + name.length() > MAX_HOST_LINE) {
                out.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(name);
        }
        if (line.length() > 0) {
            out.add(line.toString());
        }
        return out;
    }
}
