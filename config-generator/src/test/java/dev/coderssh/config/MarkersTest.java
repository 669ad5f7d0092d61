package dev.coderssh.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Broken markers: refuse, exit 1, write nothing, name the lines (vscode-coder#504). */
class MarkersTest {
    static final String START = BlockParser.startMarker("coder.example.com");
    static final String END = BlockParser.endMarker("coder.example.com");

    @TempDir
    Path home;

    @ParameterizedTest
    @ValueSource(strings = {
            "Host a\n<S>\nHost b\n",                       // unbalanced: no END
            "Host a\r\n<E>\r\n",                           // unbalanced: no START
            "<E>\nHost a\n<S>\n",                          // out of order
            "<S>\n<E>\n<S>\n<E>\n",                        // duplicated
            "<S>\n<S>\n<E>",                               // duplicated START
            "<S>\n# --- START CODER-SSH other ---\n<E>\n", // another deployment's marker nested inside
    })
    void brokenMarkersFailWithExitOneAndWriteNothing(String shape) throws Exception {
        Fixture f = new Fixture(home);
        f.api.with(FakeCoderApi.ws("dev"));
        String original = shape.replace("<S>", START).replace("<E>", END);
        f.write(original);
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(f.config(), old);
        for (List<String> args : List.of(List.of(Fixture.URL), List.of(Fixture.URL, "--remove"))) {
            assertThatThrownBy(() -> f.run(args.toArray(String[]::new)))
                    .isInstanceOfSatisfying(CoderSshException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.FAILURE);
                        assertThat(e.getMessage()).containsPattern("lines? \\d+").contains("nothing was written");
                    });
            assertThat(f.read()).isEqualTo(original);
            assertThat(Files.getLastModifiedTime(f.config())).isEqualTo(old);
            try (var files = Files.list(f.config().getParent())) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactly("config");
            }
        }
    }

    @Provide
    Arbitrary<String> markerSoup() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.of(START, END, START + "  ", "  " + END, BlockParser.startMarker("other"),
                        BlockParser.endMarker("other"), "# --- START CODER-SSH ", "# :host-prefix=", "# :=x", "# :wildcard",
                        "Host coder.*", "", "\r"),
                Arbitraries.strings().ofMaxLength(30));
        return piece.list().ofMaxSize(12).map(l -> String.join(Arbitraries.of("\n").sample(), l));
    }

    /** The parser never throws: every input is NoBlock, Block or Malformed, and Block is consistent. */
    @Property(tries = 500)
    void markerParserReturnsATypedResultForAnyInput(@ForAll("markerSoup") String content) {
        Parsed parsed = BlockParser.parse(content, "coder.example.com");
        assertThat(ConfigText.join(parsed.text().lines())).isEqualTo(content);
        if (parsed instanceof Parsed.Block b) {
            assertThat(b.start()).isLessThan(b.end());
            assertThat(parsed.text().lines().get(b.start()).text().strip()).isEqualTo(START);
            String removed = Splicer.remove(b);
            assertThat(BlockParser.parse(removed, "coder.example.com")).isInstanceOf(Parsed.NoBlock.class);
        } else if (parsed instanceof Parsed.Malformed m) {
            assertThat(m.problems()).isNotEmpty().allSatisfy(p -> assertThat(p).containsPattern("line"));
        } else {
            assertThat(content).doesNotContain(START).doesNotContain(END);
        }
    }

    @Property(tries = 500)
    void anyStringParsesToATypedResult(@ForAll String content) {
        assertThat(BlockParser.parse(content, "coder.example.com")).isNotNull();
        assertThat(ConfigResolver.keyValue(content.replace("\n", " "))).satisfiesAnyOf(
                kv -> assertThat(kv).isNull(), kv -> assertThat(kv).hasSize(2));
    }
}
