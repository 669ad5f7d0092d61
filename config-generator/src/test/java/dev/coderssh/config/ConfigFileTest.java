package dev.coderssh.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The write path: modes, backup, symlinks, locking, and nothing left behind. */
class ConfigFileTest {
    @TempDir
    Path home;

    private static List<String> names(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void newFileIs0600InANew0700SshDirectoryAndLeavesNoStrayFiles() throws Exception {
        Fixture f = new Fixture(home);
        f.api.with(FakeCoderApi.ws("dev"));
        assertThat(f.run(Fixture.URL)).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f.config().getParent()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f.config()))).isEqualTo("rw-------");
        assertThat(names(f.config().getParent())).containsExactly("config");
        assertThat(f.read()).startsWith(BlockParser.startMarker("coder.example.com") + "\n");
    }

    @Test
    void rewriteKeepsTheModeAndBacksUpThePreviousVersion() throws Exception {
        Fixture f = new Fixture(home);
        f.write("Host old\n  User bob");
        Files.setPosixFilePermissions(f.config(), PosixFilePermissions.fromString("rw-r-----"));
        f.api.with(FakeCoderApi.ws("dev"));
        assertThat(f.run(Fixture.URL)).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f.config()))).isEqualTo("rw-r-----");
        assertThat(Files.readString(f.config().resolveSibling("config.bak"))).isEqualTo("Host old\n  User bob");
        assertThat(names(f.config().getParent())).containsExactly("config", "config.bak");
        assertThat(f.read()).startsWith("Host old\n  User bob\n\n# --- START").doesNotEndWith("\n");
    }

    @Test
    void aSymlinkedConfigIsWrittenThroughToItsTarget() throws Exception {
        Fixture f = new Fixture(home);
        Path dotfiles = Files.createDirectories(home.resolve("dotfiles"));
        Files.writeString(dotfiles.resolve("ssh_config"), "Host a\n");
        Files.createDirectories(f.config().getParent());
        Files.createSymbolicLink(f.config(), dotfiles.resolve("ssh_config"));
        f.api.with(FakeCoderApi.ws("dev"));
        assertThat(f.run(Fixture.URL)).isZero();
        assertThat(Files.isSymbolicLink(f.config())).isTrue();
        assertThat(Files.readString(dotfiles.resolve("ssh_config"))).contains("Host coder.dev");
    }

    @Test
    void concurrentRunsNeverLoseAWriteOrTearTheFile() throws Exception {
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/config"), "Host keep\n");
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int id = i;
            results.add(pool.submit(() -> {
                // Each run writes its own deployment's block: a lost update would drop one.
                Fixture f = new Fixture(home);
                f.api.with(FakeCoderApi.ws("ws" + id));
                return f.run("https://d" + id + ".example.com", "--host-prefix", "d" + id + ".");
            }));
        }
        for (Future<Integer> r : results) {
            assertThat(r.get()).isZero();
        }
        pool.shutdown();
        String content = Files.readString(home.resolve(".ssh/config"));
        assertThat(content).startsWith("Host keep\n");
        for (int i = 0; i < n; i++) {
            assertThat(BlockParser.parse(content, "d" + i + ".example.com")).isInstanceOf(Parsed.Block.class);
        }
        assertThat(names(home.resolve(".ssh"))).containsExactly("config", "config.bak");
    }

    @Test
    void dryRunPrintsAUnifiedDiffAndWritesNothing() throws Exception {
        Fixture f = new Fixture(home);
        f.write("Host a\n  User bob\n");
        f.api.with(FakeCoderApi.ws("dev"));
        assertThat(f.run(Fixture.URL, "--dry-run")).isZero();
        assertThat(f.read()).isEqualTo("Host a\n  User bob\n");
        assertThat(f.out()).startsWith("--- " + f.config() + "\n+++ ").contains("@@ -1,2 +1,")
                .contains("\n Host a\n").contains("\n+Host coder.dev\n").contains("\n+# --- END CODER-SSH coder.example.com ---\n");
        assertThat(names(f.config().getParent())).containsExactly("config");

        assertThat(f.run(Fixture.URL)).isZero();
        f.api.with(FakeCoderApi.ws("new-one"));
        assertThat(f.run(Fixture.URL, "--dry-run")).isZero();
        assertThat(f.out()).contains("-Host coder.dev\n+Host coder.dev coder.new-one\n");
        assertThat(f.run(Fixture.URL, "--remove", "--dry-run")).isZero();
        assertThat(f.out()).contains("-# --- START CODER-SSH coder.example.com ---");
        assertThat(f.read()).contains("Host coder.dev\n");
    }

    @Test
    @org.junit.jupiter.api.Timeout(60) // a hang guard: the bug this catches is an endless retry loop
    void aLockFileMarkedReleasedByAHolderThatDiedBeforeDeletingItIsTakenOver() throws Exception {
        Path ssh = Files.createDirectories(home.resolve(".ssh"));
        Path config = Files.writeString(ssh.resolve("config"), "Host a\n");
        Files.writeString(ssh.resolve(".config.coder-ssh.lock"), "released\n");
        assertThat(new ConfigFile(config).update(current -> current + "  User bob\n")).isTrue();
        assertThat(Files.readString(config)).isEqualTo("Host a\n  User bob\n");
        assertThat(names(ssh)).containsExactly("config", "config.bak");
    }
}
