package dev.coderssh.proxy.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coderssh.core.CoderSshException;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * HostParser against a transcription of cli/ssh.go's {@code normalizeWorkspaceInput} that uses
 * the CLI's own regular expression: on any name over the characters that matter, both agree on
 * owner, workspace and agent, or the parser refuses what the CLI could not resolve to a workspace.
 */
class CliNormalizationPropertyTest {
    private static final Pattern CLI_SEPARATORS = Pattern.compile("[/.]+|--");

    /** The CLI's reading: null when it falls back to the raw input (four or more parts). */
    private static HostName cli(String input) {
        String[] parts = CLI_SEPARATORS.split(input, -1);
        return switch (parts.length) {
            case 1 -> new HostName(null, parts[0], null);
            case 2 -> input.contains("/") || input.contains("--")
                    ? new HostName(parts[0], parts[1], null) : new HostName(null, parts[0], parts[1]);
            case 3 -> new HostName(parts[0], parts[1], parts[2]);
            default -> null;
        };
    }

    private static boolean valid(String part, boolean agent) {
        return part != null && !part.isEmpty() && part.length() <= HostParser.MAX_NAME && !part.startsWith("-")
                && !part.endsWith("-") && part.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128
                        || c == '-' || agent && c == '_');
    }

    @Property(tries = 5000)
    void agreesWithTheCliOnEveryName(@ForAll("names") String name) {
        HostName want = cli(name);
        boolean resolvable = want != null && (want.owner() == null || valid(want.owner(), false))
                && valid(want.workspace(), false) && (want.agent() == null || valid(want.agent(), true));
        HostParser parser = new HostParser(null, null);
        if (resolvable) {
            assertThat(parser.parse(name)).isEqualTo(want);
            // What the CLI is then given reads back the same in the CLI.
            assertThat(cli(want.cliForm())).isEqualTo(want);
        } else {
            assertThatThrownBy(() -> parser.parse(name)).isInstanceOf(CoderSshException.class);
        }
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().withChars("ab1-_./".toCharArray()).ofMinLength(1).ofMaxLength(14);
    }
}
