package dev.coderssh.config;

import dev.coderssh.core.cli.Console;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Shared test fixture: a temp home, a fake API and ssh, captured stdout/stderr. */
final class Fixture {
    static final String URL = "https://coder.example.com";
    static final String LAUNCHER = "/opt/coder-ssh/bin/coder-ssh";

    final Path home;
    final FakeCoderApi api = new FakeCoderApi();
    final FakeSsh ssh = new FakeSsh();
    final List<Duration> sleeps = new ArrayList<>();
    int watchRounds = 1;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    Fixture(Path home) {
        this.home = home;
    }

    /** An ssh stand-in: a fixed version and no -G (so the built-in resolver is what is tested). */
    static final class FakeSsh implements SshClient {
        int[] version = {9, 2};
        final Map<String, Map<String, String>> effective = new HashMap<>();

        @Override
        public Optional<int[]> version() {
            return Optional.ofNullable(version);
        }

        @Override
        public Optional<Map<String, String>> effectiveOptions(Path configFile, String host) {
            return Optional.ofNullable(effective.get(host));
        }
    }

    Path config() {
        return home.resolve(".ssh").resolve("config");
    }

    ConfigSshEnvironment environment() {
        return new ConfigSshEnvironment(home, false, ssh, d -> {
            sleeps.add(d);
            if (sleeps.size() >= watchRounds) {
                throw new InterruptedException("test stops the watch loop");
            }
        }, null);
    }

    ConfigSshCommand command() {
        return new ConfigSshCommand(url -> api, environment());
    }

    int run(String... args) throws Exception {
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
        Console console = new Console(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("CODER_SSH_LAUNCHER", LAUNCHER),
                Clock.systemUTC());
        return command().run(List.of(args), console);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    String read() throws IOException {
        return Files.readString(config(), StandardCharsets.UTF_8);
    }

    void write(String content) throws IOException {
        Files.createDirectories(config().getParent());
        Files.writeString(config(), content, StandardCharsets.UTF_8);
    }
}
