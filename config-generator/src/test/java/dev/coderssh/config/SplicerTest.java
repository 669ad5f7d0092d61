package dev.coderssh.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Appending and removing are exact inverses, whatever the file's line endings. */
class SplicerTest {
    private static final List<String> BLOCK = List.of(BlockParser.startMarker("h"), "Host x.*", BlockParser.endMarker("h"));

    private static String cycle(String original) {
        String written = Splicer.write(BlockParser.parse(original, "h"), BLOCK);
        String again = Splicer.write(BlockParser.parse(written, "h"), BLOCK);
        assertThat(again).as("rewrite of %s", written).isEqualTo(written);
        assertThat(Splicer.remove(BlockParser.parse(written, "h"))).isEqualTo(original);
        return written;
    }

    @Test
    void appendsWithOneBlankLineAndInheritsTheFinalNewlineState() {
        assertThat(cycle("")).isEqualTo(String.join("\n", BLOCK) + "\n");
        assertThat(cycle("Host a\n")).isEqualTo("Host a\n\n" + String.join("\n", BLOCK) + "\n");
        assertThat(cycle("Host a")).isEqualTo("Host a\n\n" + String.join("\n", BLOCK));
        assertThat(cycle("Host a\r\n")).isEqualTo("Host a\r\n\r\n" + String.join("\r\n", BLOCK) + "\r\n");
        assertThat(cycle("\n")).isEqualTo("\n\n" + String.join("\n", BLOCK) + "\n");
        cycle("# odd\r");
        cycle("a\r\nb\nc");
    }

    @Test
    void replacesInPlaceKeepingWhatSurroundsIt() {
        String original = "Host a\r\n" + String.join("\r\n", List.of(BlockParser.startMarker("h"), "Host old", BlockParser.endMarker("h")))
                + "\r\nHost after\r\n";
        String written = Splicer.write(BlockParser.parse(original, "h"), BLOCK);
        assertThat(written).isEqualTo("Host a\r\n" + String.join("\r\n", BLOCK) + "\r\nHost after\r\n");
    }
}
