package dev.coderssh.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void aCliThatNeverExitsIsKilledAtTheDeadline() throws Exception {
        Path pid = dir.resolve("pid");
        Path cli = cli("echo $$ > '" + pid + "'; echo '{\"version\": \"v1\"}'; exec sleep 1000");
        String version = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> CliVersion.of(cli, 500));
        assertThat(version).isNull();
        assertThat(alive(pid)).as("the CLI is left running").isFalse();
    }

    @Test
    void aChildThatKeepsTheOutputOpenIsKilledToo() throws Exception {
        Path pid = dir.resolve("pid");
        Path cli = cli("sleep 1000 & echo $! > '" + pid + "'; echo '{\"version\": \"v1\"}'; wait");
        String version = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> CliVersion.of(cli, 500));
        assertThat(version).isNull();
        assertThat(alive(pid)).as("the CLI's child is left running").isFalse();
    }
}
