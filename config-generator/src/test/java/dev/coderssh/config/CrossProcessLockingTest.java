package dev.coderssh.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several real processes rewriting one file at once: the sidecar lock (with its inode re-check)
 * must keep every process's last write, and no lock or temp file may be left behind.
 */
class CrossProcessLockingTest {
    @TempDir
    Path home;

    @Test
    void concurrentProcessesKeepEveryBlockAndLeaveNoStrayFiles() throws Exception {
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/config"), "Host mine\r\n  User me\r\n");
        String java = ProcessHandle.current().info().command().orElse("java");
        int processes = 4;
        int rounds = 15;
        List<Process> children = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            children.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    LockingChild.class.getName(), home.toString(), String.valueOf(i), String.valueOf(rounds))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        }
        for (Process p : children) {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        }
        String content = Files.readString(home.resolve(".ssh/config"));
        assertThat(content).startsWith("Host mine\r\n  User me\r\n\r\n");
        for (int i = 0; i < processes; i++) {
            assertThat(BlockParser.parse(content, "p" + i + ".example.com")).isInstanceOf(Parsed.Block.class);
            assertThat(content).contains("Host p" + i + ".p" + i + "-r" + ((rounds - 1) % 2) + "\r\n");
        }
        try (var files = Files.list(home.resolve(".ssh"))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly("config", "config.bak");
        }
    }
}
