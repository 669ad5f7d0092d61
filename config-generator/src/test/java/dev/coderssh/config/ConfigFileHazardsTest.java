package dev.coderssh.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.ExitCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, invariants 5 and 6 for config-ssh: the file written is the file ssh reads, a writer
 * that does not take our lock never loses a line, and every file-system failure is one line with
 * exit 1 and the file untouched. Each test failed on the code before this change.
 */
class ConfigFileHazardsTest {
    @TempDir
    Path home;

    /** A failure as Main prints it: one line, exit 1, no Java class name. */
    private static void oneLineFailure(CoderSshException e, String says) {
        assertThat(e.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(e.getMessage()).contains(says).contains("nothing was written")
                .doesNotContain("\n").doesNotContain("Exception").doesNotContain("java.");
    }

    @Test
    void aRelativeLinkWithDotDotUnderASymlinkedDirectoryIsResolvedAsTheKernelDoes() throws Exception {
        // ~/.ssh -> dotfiles/ssh, and ~/.ssh/config -> ../shared/config: the kernel takes ".."
        // in dotfiles/ (the real parent), a lexical normalize() in ~ (the link's path).
        Path real = Files.createDirectories(home.resolve("dotfiles/ssh"));
        Path shared = Files.createDirectories(home.resolve("dotfiles/shared"));
        Files.writeString(shared.resolve("config"), "Host a\n");
        Files.createSymbolicLink(home.resolve(".ssh"), real);
        Files.createSymbolicLink(real.resolve("config"), Path.of("../shared/config"));
        Fixture f = new Fixture(home);
        f.api.with(FakeCoderApi.ws("dev"));
        assertThat(f.run(Fixture.URL)).isZero();
        // ssh reads what the kernel resolves: that file got the block, and no stray file was made.
        assertThat(Files.readString(f.config())).startsWith("Host a\n").contains("Host coder.dev");
        assertThat(Files.readString(shared.resolve("config"))).contains("Host coder.dev");
        assertThat(home.resolve("shared")).doesNotExist();
        assertThat(Files.isSymbolicLink(real.resolve("config"))).isTrue();
    }

    @Test
    void aSymlinkLoopIsOneLineWithExit1AndNothingIsWritten() throws Exception {
        Path ssh = Files.createDirectories(home.resolve(".ssh"));
        Files.createSymbolicLink(ssh.resolve("config"), Path.of("other"));
        Files.createSymbolicLink(ssh.resolve("other"), Path.of("config"));
        Fixture f = new Fixture(home);
        f.api.with(FakeCoderApi.ws("dev"));
        assertThatThrownBy(() -> f.run(Fixture.URL)).isInstanceOfSatisfying(CoderSshException.class,
                e -> oneLineFailure(e, "symlink loop"));
        try (var s = Files.list(ssh)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("config", "other");
        }
    }

    @Test
    void aConfigPathThatIsADirectoryIsOneLineWithExit1() throws Exception {
        Path dir = Files.createDirectories(home.resolve(".ssh/config"));
        Files.writeString(dir.resolve("keep"), "x");
        Fixture f = new Fixture(home);
        f.api.with(FakeCoderApi.ws("dev"));
        assertThatThrownBy(() -> f.run(Fixture.URL)).isInstanceOfSatisfying(CoderSshException.class,
                e -> oneLineFailure(e, "it is a directory"));
        assertThatThrownBy(() -> f.run(Fixture.URL, "--dry-run")).isInstanceOfSatisfying(CoderSshException.class,
                e -> assertThat(e.getMessage()).startsWith("cannot read ").contains("it is a directory"));
        assertThat(Files.readString(dir.resolve("keep"))).isEqualTo("x");
    }

    @Test
    void theOsReasonIsPutInWordsNeverAsAnExceptionName() {
        // EROFS cannot be produced here (tests run as root, with no read-only mount of our own):
        // this is what the JDK throws for it on Linux.
        IOException rofs = new FileSystemException("/home/u/.ssh/.config.coder-ssh-1.tmp", null, "Read-only file system");
        oneLineFailure(ConfigFileErrors.failure("cannot write", Path.of("/home/u/.ssh/config"), rofs), "read-only file system");
        assertThat(ConfigFileErrors.reason(new FileSystemException("x", null, "No space left on device")))
                .isEqualTo("no space left on the device");
        assertThat(ConfigFileErrors.reason(new java.nio.file.AccessDeniedException("x"))).isEqualTo("permission denied");
        assertThat(ConfigFileErrors.reason(new IOException((String) null))).isEqualTo("input/output error");
    }

    @Test
    void aLineAppendedByAWriterThatTakesNoLockBetweenReadAndRenameIsKept() throws Exception {
        Path ssh = Files.createDirectories(home.resolve(".ssh"));
        Path config = Files.writeString(ssh.resolve("config"), "Host a\n");
        int[] calls = {0};
        boolean wrote = new ConfigFile(config).update(current -> {
            if (calls[0]++ == 0) {
                // An editor or `echo >> ~/.ssh/config` appends after our read, before our rename.
                Files.writeString(config, "Host theirs\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            }
            return current + "Host ours\n";
        });
        assertThat(wrote).isTrue();
        assertThat(calls[0]).isEqualTo(2);
        assertThat(Files.readString(config)).isEqualTo("Host a\nHost theirs\nHost ours\n");
    }

    @Test
    void aFileThatKeepsChangingIsRefusedAfterAFewTriesAndKeepsTheOtherWritersLines() throws Exception {
        Path ssh = Files.createDirectories(home.resolve(".ssh"));
        Path config = Files.writeString(ssh.resolve("config"), "Host a\n");
        assertThatThrownBy(() -> new ConfigFile(config).update(current -> {
            Files.writeString(config, "Host theirs\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            return current + "Host ours\n";
        })).isInstanceOfSatisfying(CoderSshException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.FAILURE);
            assertThat(e.getMessage()).contains("kept changing").contains("nothing was written");
        });
        String left = Files.readString(config);
        assertThat(left).doesNotContain("Host ours").startsWith("Host a\n");
        assertThat(left.split("Host theirs", -1)).hasSize(ConfigFile.MAX_ATTEMPTS + 1);
        try (var s = Files.list(ssh)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("config", "config.bak");
        }
    }
}
