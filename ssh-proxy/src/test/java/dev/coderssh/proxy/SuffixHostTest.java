package dev.coderssh.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.cli.Console;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The ProxyCommand config-ssh writes for a deployment's {@code hostname_suffix}
 * ({@code --hostname-suffix coder %h}) hands {@code *.coder} names to the CLI as {@code coder ssh}
 * reads them; before, every {@code x.y.coder} went to the Coder Connect transport.
 */
class SuffixHostTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"ws.coder, ws", "ws.dev.coder, ws.dev", "bob--ws--dev.coder, bob/ws.dev", "coder.ws, ws"})
    void suffixNamesGoToTheCliInItsOwnForm(String host, String cliForm) throws Exception {
        Path plan = dir.resolve("plan");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (FileOutputStream keepOpen = new FileOutputStream(plan.toFile())) {
            Console console = new Console(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true),
                    new PrintStream(new ByteArrayOutputStream(), true),
                    Map.of("CODER_SSH_HOME", dir.resolve("home").toString(), "PATH", "/usr/bin:/bin",
                            "CODER_SSH_PLAN_FD", ProxyCommandTest.fdOf(plan.toRealPath())), Clock.systemUTC());
            int rc = new ProxyCommand(new FakeCore(ProxyCommandTest.TOKEN)).run(List.of("--url",
                    "https://coder.example.com", "--coder-binary", "/bin/true", "--hostname-suffix", "coder", host), console);
            assertThat(rc).isZero();
        }
        List<String> argv = PlanCodec.decode(Files.readString(plan)).argv();
        assertThat(argv.get(argv.size() - 1)).isEqualTo(cliForm);
        assertThat(out.size()).isZero();
    }
}
