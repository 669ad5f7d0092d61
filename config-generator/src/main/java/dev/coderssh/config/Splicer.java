package dev.coderssh.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Puts a rendered block into the file text, or takes it out, touching nothing else. Appending and
 * removing are exact inverses: appending adds one blank line and the block, and when the file had
 * no final newline the block's END line gets none either, so removing can restore that too.
 */
final class Splicer {
    private Splicer() {
    }

    /** The new file content with {@code blockLines} (without terminators) in place of the old block. */
    static String write(Parsed parsed, List<String> blockLines) {
        ConfigText text = parsed.text();
        String nl = text.newline();
        List<ConfigText.Line> lines = new ArrayList<>(text.lines());
        if (parsed instanceof Parsed.Block block) {
            // The block keeps the line ending it was written with, so a rerun is byte-identical.
            String startEnd = lines.get(block.start()).end();
            nl = startEnd.isEmpty() ? nl : startEnd;
            String lastEnd = lines.get(block.end()).end();
            List<ConfigText.Line> replacement = toLines(blockLines, nl, lastEnd);
            List<ConfigText.Line> out = new ArrayList<>(lines.subList(0, block.start()));
            out.addAll(replacement);
            out.addAll(lines.subList(block.end() + 1, lines.size()));
            return ConfigText.join(out);
        }
        if (parsed instanceof Parsed.NoBlock) {
            if (lines.isEmpty()) {
                return ConfigText.join(toLines(blockLines, nl, nl));
            }
            ConfigText.Line last = lines.get(lines.size() - 1);
            boolean hadFinalNewline = !last.end().isEmpty();
            if (!hadFinalNewline) {
                lines.set(lines.size() - 1, new ConfigText.Line(last.text(), nl));
            }
            lines.add(new ConfigText.Line("", nl));
            lines.addAll(toLines(blockLines, nl, hadFinalNewline ? nl : ""));
            return ConfigText.join(lines);
        }
        throw new IllegalStateException("malformed config cannot be written");
    }

    /** The content without the block (and the blank line before it), or the same content if none. */
    static String remove(Parsed parsed) {
        ConfigText text = parsed.text();
        if (!(parsed instanceof Parsed.Block block)) {
            return ConfigText.join(text.lines());
        }
        List<ConfigText.Line> lines = text.lines();
        int from = block.start();
        if (from > 0 && lines.get(from - 1).text().isEmpty()) {
            from--;
        }
        List<ConfigText.Line> out = new ArrayList<>(lines.subList(0, from));
        boolean atEof = block.end() == lines.size() - 1;
        if (atEof && lines.get(block.end()).end().isEmpty() && !out.isEmpty()) {
            // We appended to a file without a final newline, ending its last line with the block's
            // own line ending: take exactly that off again (a lone '\r' before it was the file's).
            ConfigText.Line last = out.get(out.size() - 1);
            String added = lines.get(block.start()).end();
            String whole = last.text() + last.end();
            if (!added.isEmpty() && whole.endsWith(added)) {
                out.set(out.size() - 1, new ConfigText.Line(whole.substring(0, whole.length() - added.length()), ""));
            }
        }
        out.addAll(lines.subList(block.end() + 1, lines.size()));
        return ConfigText.join(out);
    }

    private static List<ConfigText.Line> toLines(List<String> blockLines, String nl, String lastEnd) {
        List<ConfigText.Line> out = new ArrayList<>(blockLines.size());
        for (int i = 0; i < blockLines.size(); i++) {
            out.add(new ConfigText.Line(blockLines.get(i), i == blockLines.size() - 1 ? lastEnd : nl));
        }
        return out;
    }
}
