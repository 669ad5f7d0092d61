package dev.coderssh.config;

import java.util.List;
import java.util.Map;

/** What the existing ssh config holds for one deployment. */
sealed interface Parsed {
    ConfigText text();

    /** No block for this deployment yet. */
    record NoBlock(ConfigText text) implements Parsed {
    }

    /**
     * Our block spans lines {@code start..end} inclusive (0-based); {@code previousOptions} are the
     * {@code # :key=value} comments it was generated with, in order (keys may repeat).
     */
    record Block(ConfigText text, int start, int end, List<Map.Entry<String, String>> previousOptions)
            implements Parsed {
        public Block {
            previousOptions = List.copyOf(previousOptions);
        }
    }

    /** Markers we cannot safely edit around; {@code problems} name the lines (1-based). */
    record Malformed(ConfigText text, List<String> problems) implements Parsed {
        public Malformed {
            problems = List.copyOf(problems);
        }
    }
}
