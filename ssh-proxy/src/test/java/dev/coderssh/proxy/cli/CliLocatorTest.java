package dev.coderssh.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM's exec of the CLI obeys OpenSSH's safe_path (issue 19): every directory above the
 * binary up to / is root's or ours and writable by nobody else (a root-owned sticky one such as /tmp
 * excepted);
 * a refusal names the directory.
 */
class CliLocatorTest {
    @TempDir
    Path dir;

    private Path cli(Path in) throws Exception {
        Path cli = Files.createDirectories(in).resolve("coder");
        Files.writeString(cli, "#!/bin/sh\n");
        Files.setPosixFilePermissions(cli, PosixFilePermissions.fromString("rwx------"));
        return cli;
    }

    @Test
    void aCliBelowSafeDirectoriesMayRun() throws Exception {
        assertThat(CliLocator.refusal(cli(dir.resolve("a/b")))).isNull();
    }

    @Test
    void aDirectoryAboveTheCliThatOthersMayWriteIsNamed() throws Exception {
        Path cli = cli(dir.resolve("open/deep/bin"));
        Files.setPosixFilePermissions(dir.resolve("open"), PosixFilePermissions.fromString("rwxrwxr-x"));
        assertThat(CliLocator.refusal(cli)).isEqualTo("the directory " + dir.resolve("open").toRealPath()
                + ": other users can write to it");
    }

    @Test
    void rootsStickyTmpMayLieOnTheWay() throws Exception {
        // A CI workspace or a clone under /tmp: root's sticky /tmp, then directories of ours.
        Path mine = Files.createTempDirectory(Path.of("/tmp"), "cli-locator-");
        try {
            Path cli = cli(mine.resolve("bin"));
            assertThat(CliLocator.refusal(cli)).isNull();
        } finally {
            new ProcessBuilder("rm", "-rf", mine.toString()).start().waitFor();
        }
    }

    @Test
    void aStickyDirectoryNotOwnedByRootIsRefused() throws Exception {
        Path sticky = Files.createDirectories(dir.resolve("sticky"));
        new ProcessBuilder("chmod", "1777", sticky.toString()).start().waitFor();
        if ("root".equals(System.getProperty("user.name"))) {
            // As root the directory would be root's: give it to another account, as an attacker's.
            assertThat(new ProcessBuilder("chown", "nobody", sticky.toString()).start().waitFor()).isZero();
        }
        Path cli = cli(sticky.resolve("mine"));
        Files.setPosixFilePermissions(cli.getParent(), PosixFilePermissions.fromString("rwx------"));
        assertThat(CliLocator.refusal(cli)).startsWith("the directory " + sticky.toRealPath() + ": ");
    }
}
