package dev.coderssh.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The version check with real processes: it answers, and it is bounded when the CLI is not. */
class CliVersionTest {
    @TempDir
    Path dir;

    private Path cli(String body) throws IOException {
        Path cli = dir.resolve("coder");
        Files.writeString(cli, "#!/bin/sh\n" + body + "\n");
        assertThat(cli.toFile().setExecutable(true)).isTrue();
        return cli;
    }

    /** Still running a second after the check returned (a killed orphan may stay a zombie a moment). */
    private static boolean alive(Path pidFile) throws Exception {
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        for (int i = 0; i < 20; i++) {
            boolean running;
            try {
                running = !Files.readString(Path.of("/proc/" + pid + "/stat")).replaceFirst("^.*\\) ", "").startsWith("Z");
            } catch (IOException e) {
                // Gone; or no /proc at all, and then ProcessHandle says.
                running = !Files.isDirectory(Path.of("/proc/self")) && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            }
            if (!running) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    @Test
    void readsTheVersion() throws Exception {
        assertThat(CliVersion.of(cli("echo '{\"version\": \"v2.18.0+abc\"}'"))).isEqualTo("v2.18.0+abc");
    }

    /**
     * A CLI that never exits (the old code read its output to EOF before any wait, so it hung), or
     * whose child keeps the output open: both are killed at the deadline. {@code $P} is the pid file.
     */
    @ParameterizedTest
    @ValueSource(strings = {"echo $$ > \"$P\"; echo '{\"version\": \"v1\"}'; exec sleep 1000",
        "sleep 1000 & echo $! > \"$P\"; echo '{\"version\": \"v1\"}'; wait"})
    void aCliThatHangsIsKilledWithItsChildrenAtTheDeadline(String body) throws Exception {
        Path pid = dir.resolve("pid");
        Path cli = cli("P='" + pid + "'; " + body);
        String version = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> CliVersion.of(cli, 500));
        assertThat(version).isNull();
        assertThat(alive(pid)).as("left running").isFalse();
    }

    @Test
    void aCliOthersCanWriteIsNeverRun() throws Exception {
        Path ran = dir.resolve("ran");
        Path cli = cli("touch '" + ran + "'; echo '{\"version\": \"v1\"}'");
        java.nio.file.Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(CliVersion.of(cli)).isNull();
        assertThat(ran).doesNotExist();
        java.nio.file.Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        assertThat(CliVersion.of(cli)).isEqualTo("v1");
    }
}
