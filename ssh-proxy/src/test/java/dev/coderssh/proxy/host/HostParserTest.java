package dev.coderssh.proxy.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.ExitCode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostParserTest {
    private final HostParser parser = new HostParser("coder.", "coder");

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
        "coder.ws,           -,     ws,  -",
        "coder.ws.main,      -,     ws,  main",
        "coder.bob--ws,      bob,   ws,  -",
        "coder.bob--ws--dev, bob,   ws,  dev",
        "coder.bob/ws.dev,   bob,   ws,  dev",
        "coder.bob/ws,       bob,   ws,  -",
        "ws.coder,           -,     ws,  -",
        "bob--my-ws.coder,   bob,   my-ws, -",
        "coder.bob--ws.a_1,  bob,   ws,  a_1",
        "plain,              -,     plain, -",
        // The rest of cli/ssh.go's normalizeWorkspaceInput: split on [/.]+|--.
        "coder.bob/ws--dev,  bob,   ws,  dev",
        "coder.bob/ws/dev,   bob,   ws,  dev",
        "coder.bob.ws.dev,   bob,   ws,  dev",
        "coder.ws..dev,      -,     ws,  dev",
        "coder.bob//ws,      bob,   ws,  -",
        "ws.dev.coder,       -,     ws,  dev",
        "bob.ws.dev.coder,   bob,   ws,  dev",
        "bob--ws--dev.coder, bob,   ws,  dev",
        "bob/ws.coder,       bob,   ws,  -",
        // The prefix is tried first, as the CLI does: then ".coder" is an agent.
        "coder.ws.coder,     -,     ws,  coder",
    })
    void parsesTheFormsTheCliAccepts(String host, String owner, String ws, String agent) {
        HostName h = parser.parse(host);
        assertThat(h).isEqualTo(new HostName(owner, ws, agent));
    }

    @Test
    void cliFormIsWhatCoderSshParsesWithoutAPrefix() {
        assertThat(parser.parse("coder.bob--ws--dev").cliForm()).isEqualTo("bob/ws.dev");
        assertThat(parser.parse("coder.ws").cliForm()).isEqualTo("ws");
        assertThat(parser.parse("coder.ws").ownerOrMe()).isEqualTo("me");
    }

    @Test
    void customPrefixIsStrippedAndTheDefaultIsNot() {
        HostParser custom = new HostParser("ws-", null);
        assertThat(custom.parse("ws-dev").workspace()).isEqualTo("dev");
        assertThatThrownBy(() -> custom.parse("coder.dev.x.y")).isInstanceOf(CoderSshException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "coder.", "coder.-ws", "coder.ws-", "coder.a--b--c--d", "coder.a/b/c/d",
        "coder.a.b.c.d", "coder.ws.", "coder./ws", "coder.a---b", "coder.a--.b", ".coder", "coder.w s", "coder.ws;rm -rf", "coder.ws\nProxyCommand x",
        "coder.ws$(id)", "coder.a--b--c.d", "coder.\u00e9t\u00e9", "coder.a_b"})
    void refusesWhatIsNotAValidName(String host) {
        assertThatThrownBy(() -> parser.parse(host))
                .isInstanceOfSatisfying(CoderSshException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                    // A hostile name must not put control characters on the user's terminal.
                    assertThat(e.getMessage().chars().allMatch(c -> c >= 0x20 && c < 0x7f)).isTrue();
                });
    }

    @Property(tries = 3000)
    void anyInputGivesAHostOrAUsageErrorNothingElse(@ForAll("hostile") String host) {
        try {
            HostName h = parser.parse(host);
            String all = h.cliForm();
            for (char c : all.toCharArray()) {
                assertThat(Character.isLetterOrDigit(c) && c < 128 || "-_/.".indexOf(c) >= 0).isTrue();
            }
        } catch (CoderSshException e) {
            assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
        }
    }

    @Property(tries = 1000)
    void validNamesRoundTripThroughEveryForm(@ForAll("names") String owner, @ForAll("names") String ws,
                                              @ForAll("names") String agent) {
        HostName want = new HostName(owner, ws, agent);
        assertThat(parser.parse("coder." + owner + "--" + ws + "--" + agent)).isEqualTo(want);
        assertThat(parser.parse("coder." + owner + "/" + ws + "." + agent)).isEqualTo(want);
        assertThat(parser.parse(owner + "--" + ws + "." + agent + ".coder")).isEqualTo(want);
        assertThat(parser.parse("coder." + want.cliForm())).isEqualTo(want);
    }

    @Provide
    Arbitrary<String> hostile() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(300),
                Arbitraries.strings().withChars("coder.-/_aZ9\n\0 $".toCharArray()).ofMaxLength(40));
    }

    @Provide
    Arbitrary<String> names() {
        Arbitrary<String> word = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').ofMinLength(1).ofMaxLength(8);
        return Combinators.combine(word, word, Arbitraries.of(true, false))
                .as((a, b, two) -> two ? a + "-" + b : a);
    }
}
