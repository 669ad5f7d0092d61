package dev.coderssh.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.cli.Console;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Main is the one place exceptions become exit codes: issue 12's bad inputs, through every command
 * they reach, each end in one line with a documented exit code and never "internal error" or a
 * class name.
 */
class MainBadInputTest {
    @TempDir
    Path dir;

    private record Run(int status, String err, String out) {
    }

    private Run run(String... argv) {
        return runWithStdin("", argv);
    }

    private Run runWithStdin(String stdin, String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Console console = new Console(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), new PrintStream(out, true),
                new PrintStream(err, true), Map.of("CODER_SSH_HOME", dir.resolve("home").toString(), "PATH", "/usr/bin:/bin"),
                Clock.systemUTC());
        int status = Main.run(List.of(argv), console);
        return new Run(status, err.toString(StandardCharsets.UTF_8), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void hostileInputsAreOneLineWithADocumentedExitCode() throws Exception {
        String longUrl = "https://" + "a".repeat(100_000) + ".com";
        Path huge = dir.resolve("home/credentials/https_coder.example.com_443.json");
        Files.createDirectories(huge.getParent());
        Files.write(huge, new byte[3 * 1024 * 1024]);
        List<List<String>> cases = new ArrayList<>(List.of(
                List.of("token", longUrl), List.of("status", longUrl), List.of("logout", longUrl),
                List.of("proxy", "--url", longUrl, "coder.ws"),
                List.of("login", "https://coder.example.com", "--header", "X-A=b\r\nX-B: c", "--token-stdin"),
                List.of("login", "https://coder.example.com", "--header", "X A=b", "--token-stdin"),
                List.of("login", "https://coder.example.com", "--header", "X-A=\u0001", "--token-stdin"),
                List.of("proxy", "--url", "https://coder.example.com", "--header", "X-A=b\nc", "coder.ws"),
                List.of("login", "https://127.0.0.1:9", "--ca-file", dir.resolve("none.pem").toString(), "--token-stdin"),
                List.of("token", "https://coder.example.com"),
                List.of("status", "https://coder.example.com")));
        for (List<String> argv : cases) {
            Run r = run(argv.toArray(String[]::new));
            String what = String.join(" ", argv).replace("a".repeat(100_000), "a...a");
            assertThat(r.status()).as(what + ": " + r.err()).isIn(1, 2, 3, 4);
            assertThat(r.err()).as(what).doesNotContain("internal error").doesNotContain("Exception")
                    .doesNotContain("Error").hasLineCount(1).hasSizeLessThan(400);
            assertThat(r.out()).as(what).isEmpty();
        }
    }

    /** Issue 19: these were "failed unexpectedly ... please report this" (the HTTP clients refuse such headers). */
    @Test
    void nonAsciiOrControlBytesInAHeaderOrAPastedTokenAreOneLineWithTheirExitCode() {
        String url = "http://127.0.0.1:9";
        Run header = run("login", url, "--header", "X-A=caf\u00e9", "--token-stdin");
        assertThat(header.status()).as(header.err()).isEqualTo(2);
        assertThat(header.err()).contains("header X-A contains a non-ASCII character").hasLineCount(1);
        Run command = run("login", url, "--header-command", "printf 'X-A=caf\\303\\251\\n'", "--no-browser");
        assertThat(command.status()).as(command.err()).isEqualTo(1);
        assertThat(command.err()).contains("--header-command printed a bad header").contains("non-ASCII").hasLineCount(1);
        for (String token : List.of("t\u00f6k\u20acn-abcdefghij", "abc\u0001def-ghijklmnop", "abc\u009bdef-ghijklmnop")) {
            Run pasted = runWithStdin(token + "\n", "login", url, "--with-token");
            assertThat(pasted.status()).as(pasted.err()).isEqualTo(2);
            assertThat(pasted.err()).contains("that is not a session token").hasLineCount(1)
                    .doesNotContain(token).doesNotContain("unexpectedly");
        }
    }

    @Test
    void anUnexpectedFailureIsNamedInWordsNotByItsClass() {
        assertThat(Unexpected.words(new OutOfMemoryError("Java heap space"))).doesNotContain("Error").contains("memory");
        assertThat(Unexpected.words(new ArithmeticException("long overflow"))).isEqualTo("a number out of range");
        assertThat(Unexpected.words(new IllegalStateException())).isEqualTo("an internal error");
    }
}
