package dev.coderssh.config;

import dev.coderssh.core.cli.Console;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Benchmark for issue 6 item 7: config-ssh with N workspaces (default 5,000), generated and written
 * into a config that already has other content, then a no-op rerun. Prints median/min/max over the
 * runs; not a test (machines here are noisy). It needs no third-party jar, so from the repository root:
 * <pre>
 * mvn -B -q -o test-compile -pl config-generator -am
 * java -cp core/target/classes:config-generator/target/classes:config-generator/target/test-classes \
 *     dev.coderssh.config.ConfigSshBench 5000 15
 * </pre>
 */
public final class ConfigSshBench {
    private ConfigSshBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        FakeCoderApi api = new FakeCoderApi();
        for (int i = 0; i < n; i++) {
            api.with(i % 10 == 0 ? FakeCoderApi.ws("ws-" + i, "main", "gpu") : FakeCoderApi.ws("ws-" + i));
        }
        // The real ssh for its version; no ssh -G spawns, so the figure is ours alone.
        SshClient ssh = new SshClient() {
            private final OpenSshClient real = OpenSshClient.onPath();

            @Override
            public Optional<int[]> version() {
                return real.version();
            }

            @Override
            public Optional<Map<String, String>> effectiveOptions(Path file, String host) {
                return Optional.empty();
            }
        };
        PrintStream devNull = new PrintStream(OutputStream.nullOutputStream());
        Console console = new Console(new ByteArrayInputStream(new byte[0]), devNull, devNull,
                Map.of("CODER_SSH_LAUNCHER", "/opt/coder-ssh/bin/coder-ssh"), Clock.systemUTC());
        long[] fresh = new long[runs + 1];
        long[] noop = new long[runs + 1];
        long size = 0;
        for (int r = 0; r <= runs; r++) {
            Path home = Files.createTempDirectory("config-ssh-bench");
            Files.createDirectories(home.resolve(".ssh"));
            Files.writeString(home.resolve(".ssh/config"), "Host *\n  ServerAliveInterval 60\n\nHost build\n  User ci\n");
            ConfigSshCommand cmd = new ConfigSshCommand(url -> api, new ConfigSshEnvironment(home, false, ssh, d -> { }, null));
            long t0 = System.nanoTime();
            cmd.run(List.of("https://coder.example.com"), console);
            long t1 = System.nanoTime();
            cmd.run(List.of("https://coder.example.com"), console);
            long t2 = System.nanoTime();
            fresh[r] = t1 - t0;
            noop[r] = t2 - t1;
            size = Files.size(home.resolve(".ssh/config"));
        }
        // Run 0 is the warm-up (class loading, JIT): reported separately, left out of the figures.
        System.out.printf("config-ssh bench: %d workspaces, file %d bytes, first (cold) run %.1f ms%n", n, size, fresh[0] / 1e6);
        print("write", Arrays.copyOfRange(fresh, 1, fresh.length));
        print("no-op rerun", Arrays.copyOfRange(noop, 1, noop.length));
    }

    private static void print(String what, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf("  %-12s median %.1f ms  min %.1f ms  max %.1f ms  (%d runs)%n", what, s[s.length / 2] / 1e6,
                s[0] / 1e6, s[s.length - 1] / 1e6, s.length);
    }

}
