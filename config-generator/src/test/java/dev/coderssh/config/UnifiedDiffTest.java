package dev.coderssh.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The --dry-run diff, applied to the old text, must give the new text. */
class UnifiedDiffTest {
    @Property(tries = 300)
    void applyingTheDiffGivesTheNewText(@ForAll @Size(max = 15) List<@IntRange(min = 0, max = 4) Integer> a,
                                        @ForAll @Size(max = 15) List<@IntRange(min = 0, max = 4) Integer> b) {
        List<String> from = a.stream().map(i -> "l" + i).toList();
        List<String> to = b.stream().map(i -> "l" + i).toList();
        String diff = UnifiedDiff.diff("a", "b", join(from), join(to));
        if (from.equals(to)) {
            assertThat(diff).isEmpty();
            return;
        }
        assertThat(apply(from, diff)).isEqualTo(to);
    }

    private static String join(List<String> lines) {
        StringBuilder sb = new StringBuilder();
        lines.forEach(l -> sb.append(l).append('\n'));
        return sb.toString();
    }

    /** A strict patch: context and removed lines must match exactly where the hunk header says. */
    private static List<String> apply(List<String> from, String diff) {
        List<String> out = new ArrayList<>();
        String[] lines = diff.split("\n");
        assertThat(lines[0]).isEqualTo("--- a");
        assertThat(lines[1]).isEqualTo("+++ b");
        int pos = 0;
        for (int i = 2; i < lines.length; i++) {
            String l = lines[i];
            if (l.startsWith("@@")) {
                String[] parts = l.split(" ");
                int aStart = Integer.parseInt(parts[1].substring(1).split(",")[0]);
                int aLen = Integer.parseInt(parts[1].split(",")[1]);
                int target = aLen == 0 ? aStart : aStart - 1;
                while (pos < target) {
                    out.add(from.get(pos++));
                }
            } else if (l.startsWith(" ")) {
                assertThat(from.get(pos)).isEqualTo(l.substring(1));
                out.add(from.get(pos++));
            } else if (l.startsWith("-")) {
                assertThat(from.get(pos++)).isEqualTo(l.substring(1));
            } else if (l.startsWith("+")) {
                out.add(l.substring(1));
            }
        }
        while (pos < from.size()) {
            out.add(from.get(pos++));
        }
        return out;
    }
}
