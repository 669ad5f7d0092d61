package dev.coderssh.config;

import dev.coderssh.core.cli.Console;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A separate process for {@link CrossProcessLockingTest}: rewrites its own deployment's block
 * {@code rounds} times, alternating between two workspace lists, in the home given as args[0].
 */
public final class LockingChild {
    private LockingChild() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        int id = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        SshClient noSsh = new SshClient() {
            @Override
            public Optional<int[]> version() {
                return Optional.empty();
            }

            @Override
            public Optional<Map<String, String>> effectiveOptions(Path file, String host) {
                return Optional.empty();
            }
        };
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        Console console = new Console(new ByteArrayInputStream(new byte[0]), quiet, System.err,
                Map.of("CODER_SSH_LAUNCHER", Fixture.LAUNCHER), Clock.systemUTC());
        for (int r = 0; r < rounds; r++) {
            FakeCoderApi api = new FakeCoderApi().with(FakeCoderApi.ws("p" + id + "-r" + (r % 2)));
            int code = new ConfigSshCommand(url -> api, new ConfigSshEnvironment(home, false, noSsh, d -> { }, null))
                    .run(List.of("https://p" + id + ".example.com", "--host-prefix", "p" + id + "."), console);
            if (code != 0) {
                System.exit(code);
            }
        }
        // The last round wrote r-(rounds-1)%2; the parent checks that exact name survived.
        System.exit(0);
    }
}
