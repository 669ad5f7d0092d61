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
 *
 * <p>With a hostname suffix the names take the suffix form ({@code ws.coder}) and a second
 * wildcard, {@code Host *.<suffix>}, follows {@code Host <prefix>*}, each with its own ProxyCommand:
 * as {@code coder config-ssh} does, both forms keep working. Without the wildcard the names carry
 * the options of the form they are written in (the last section given).
 */
final class BlockRenderer {
    static final int MAX_HOST_LINE = 1000;

    private BlockRenderer() {
    }

    /** One wildcard {@code Host} pattern and the options written under it. */
    record Section(String pattern, List<SshOptions.Option> options) {
        Section {
            options = List.copyOf(options);
        }
    }

    static List<String> render(String authority, String deploymentUrl, GenerationOptions gen, List<String> hostNames,
                               List<Section> sections) {
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
            for (Section section : sections) {
                lines.add("Host " + section.pattern());
                appendOptions(lines, section.options());
            }
        } else {
            for (String h : hostLines) {
                lines.add("Host " + h);
                appendOptions(lines, sections.get(sections.size() - 1).options());
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
