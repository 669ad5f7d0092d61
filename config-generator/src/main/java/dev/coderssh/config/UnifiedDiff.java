package dev.coderssh.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff of two texts for {@code --dry-run}. Common leading and trailing lines are trimmed
 * first (a config-ssh run changes one block), then the middle is diffed by LCS when small enough,
 * else shown as replaced: always a valid diff, minimal in the usual case. Hand-written rather than
 * a diff library: what changes is one block between known markers, and this keeps the module free
 * of a dependency for 100 lines.
 */
final class UnifiedDiff {
    private static final int CONTEXT = 3;
    private static final long MAX_LCS_CELLS = 4_000_000L;

    private UnifiedDiff() {
    }

    private record Edit(char op, String line) {
    }

    static String diff(String fromName, String toName, String from, String to) {
        List<String> a = lines(from);
        List<String> b = lines(to);
        int pre = 0;
        while (pre < a.size() && pre < b.size() && a.get(pre).equals(b.get(pre))) {
            pre++;
        }
        int suf = 0;
        while (suf < a.size() - pre && suf < b.size() - pre
                && a.get(a.size() - 1 - suf).equals(b.get(b.size() - 1 - suf))) {
            suf++;
        }
        if (pre == a.size() && pre == b.size()) {
            return "";
        }
        List<Edit> edits = new ArrayList<>();
        for (int i = 0; i < pre; i++) {
            edits.add(new Edit(' ', a.get(i)));
        }
        edits.addAll(middle(a.subList(pre, a.size() - suf), b.subList(pre, b.size() - suf)));
        for (int i = a.size() - suf; i < a.size(); i++) {
            edits.add(new Edit(' ', a.get(i)));
        }
        return "--- " + fromName + "\n+++ " + toName + "\n" + hunks(edits);
    }

    private static List<Edit> middle(List<String> a, List<String> b) {
        List<Edit> out = new ArrayList<>();
        if ((long) a.size() * b.size() > MAX_LCS_CELLS) {
            a.forEach(l -> out.add(new Edit('-', l)));
            b.forEach(l -> out.add(new Edit('+', l)));
            return out;
        }
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                out.add(new Edit(' ', a.get(i++)));
                j++;
            } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
                out.add(new Edit('-', a.get(i++)));
            } else {
                out.add(new Edit('+', b.get(j++)));
            }
        }
        return out;
    }

    private static String hunks(List<Edit> edits) {
        StringBuilder sb = new StringBuilder();
        int k = 0;
        while (k < edits.size()) {
            while (k < edits.size() && edits.get(k).op() == ' ') {
                k++;
            }
            if (k == edits.size()) {
                break;
            }
            int start = Math.max(0, k - CONTEXT);
            int end = k;
            // Extend while the next change is within 2*CONTEXT unchanged lines.
            while (true) {
                while (end < edits.size() && edits.get(end).op() != ' ') {
                    end++;
                }
                int next = end;
                while (next < edits.size() && edits.get(next).op() == ' ') {
                    next++;
                }
                if (next < edits.size() && next - end <= 2 * CONTEXT) {
                    end = next;
                } else {
                    end = Math.min(edits.size(), end + CONTEXT);
                    break;
                }
            }
            int aStart = 0;
            int bStart = 0;
            for (int i = 0; i < start; i++) {
                if (edits.get(i).op() != '+') {
                    aStart++;
                }
                if (edits.get(i).op() != '-') {
                    bStart++;
                }
            }
            int aLen = 0;
            int bLen = 0;
            StringBuilder body = new StringBuilder();
            for (int i = start; i < end; i++) {
                Edit e = edits.get(i);
                aLen += e.op() != '+' ? 1 : 0;
                bLen += e.op() != '-' ? 1 : 0;
                body.append(e.op()).append(e.line()).append('\n');
            }
            sb.append("@@ -").append(aLen == 0 ? aStart : aStart + 1).append(',').append(aLen)
                    .append(" +").append(bLen == 0 ? bStart : bStart + 1).append(',').append(bLen).append(" @@\n")
                    .append(body);
            k = end;
        }
        return sb.toString();
    }

    private static List<String> lines(String s) {
        List<String> out = new ArrayList<>();
        for (ConfigText.Line line : ConfigText.of(s == null ? "" : s).lines()) {
            out.add(line.text());
        }
        return out;
    }
}
