package dev.coderssh.core.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.testing.Cli;
import dev.coderssh.core.testing.MutableClock;
import dev.coderssh.core.testing.TestHome;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Arguments no user means (issue 12, invariant 6): each is one line and exit 2, decided before any
 * request, never an exception escaping as "internal error" (Cli fails the test on one).
 */
class BadInputTest {
    @TempDir
    Path tmp;

    private TestHome home() throws Exception {
        return new TestHome(tmp, new MutableClock(Instant.parse("2026-11-01T10:00:00Z")));
    }

    @Test
    void aHundredThousandCharacterUrlIsAUsageError() throws Exception {
        String url = "https://" + "a".repeat(100_000) + ".com";
        for (String command : new String[] {"token", "login"}) {
            TestHome home = home();
            int status = command.equals("token") ? Cli.run(new TokenCommand("t"), home.console(), url)
                    : Cli.run(new LoginCommand("t"), home.console(), url, "--token-stdin");
            assertThat(status).as(command).isEqualTo(2);
            assertThat(home.err().strip()).doesNotContain("\n").contains("longer than").hasSizeLessThan(200);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-A=b\r\nX-Injected: 1", "X-A=b\nc", "X A=b", "X-A=b\u0001", "X:A=b", "=b", "X\u00e9=b"})
    void aHeaderThatWouldSplitOrBreakTheRequestIsAUsageError(String header) throws Exception {
        TestHome home = home();
        assertThat(Cli.run(new LoginCommand("t"), home.console(), "https://coder.example.com", "--header", header,
                "--token-stdin")).isEqualTo(2);
        assertThat(home.err().strip()).doesNotContain("\n").contains("--header").doesNotContain("Exception");
    }

    @Test
    void aMissingCaFileIsNamedAsSuchBeforeAnyRequest() throws Exception {
        TestHome home = home();
        Path missing = tmp.resolve("missing-ca.pem");
        assertThat(Cli.run(new LoginCommand("t"), home.console(), "https://coder.example.com", "--ca-file",
                missing.toString(), "--token-stdin")).isEqualTo(2);
        assertThat(home.err().strip()).endsWith("--ca-file " + missing + ": no such file");
    }

    /** Issue 19: it was read whole, without a limit. */
    @Test
    void aHugeCaFileIsOneLineNotAnEndlessRead() throws Exception {
        Path huge = tmp.resolve("huge");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(5L * 1024 * 1024 * 1024); // sparse: 5 GiB of nothing
        }
        TestHome home = home();
        assertThat(Cli.run(new LoginCommand("t"), home.console(), "https://coder.example.com", "--tls-ca-file",
                huge.toString(), "--token-stdin")).isEqualTo(2);
        assertThat(home.err().strip()).endsWith("--tls-ca-file " + huge + ": larger than 4 MiB, not a PEM file");
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999h", "9223372036854775807m", "25h", "0s", "-5m", "5x"})
    void aTimeoutThatOverflowsOrMakesNoSenseIsAUsageError(String timeout) throws Exception {
        TestHome home = home();
        assertThat(Cli.run(new LoginCommand("t"), home.console(), "https://coder.example.com", "--timeout", timeout))
                .isEqualTo(2);
        assertThat(home.err().strip()).doesNotContain("\n").contains("--timeout").doesNotContain("Exception");
    }
}
