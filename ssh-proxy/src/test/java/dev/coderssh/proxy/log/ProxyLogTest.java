package dev.coderssh.proxy.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxyLogTest {
    static final String API_KEY = "Abcdefghij-0123456789abcdefghijkl";
    @TempDir
    Path dir;

    @Test
    void registeredSecretsAndTokenShapedWordsNeverReachTheFileOrStderr() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        File file = dir.resolve("logs/proxy.log").toFile();
        ProxyLog log = new ProxyLog(file, new PrintStream(err, true), true,
                Clock.fixed(Instant.parse("2026-11-29T02:03:04.005Z"), ZoneOffset.UTC));
        log.secret("my-pasted-session-secret");
        log.info("token " + API_KEY + " refresh coder_abcdefghij_0123456789abcdef and my-pasted-session-secret");
        log.warn("plain words stay, like agent-main and ws-12");
        String text = Files.readString(file.toPath());
        assertThat(text + err.toString(StandardCharsets.UTF_8)).doesNotContain(API_KEY)
                .doesNotContain("coder_abcdefghij_0123456789abcdef").doesNotContain("my-pasted-session-secret");
        assertThat(text).startsWith("2026-11-29T02:03:04.005Z INFO [").contains("token <redacted> refresh <redacted>")
                .contains("plain words stay, like agent-main and ws-12");
    }

    @Test
    void withoutVerboseOnlyWarningsReachStderr() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ProxyLog log = new ProxyLog(dir.resolve("p.log").toFile(), new PrintStream(err, true), false, Clock.systemUTC());
        log.info("detail");
        log.error("recorded");
        log.warn("visible");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("coder-ssh: visible\n");
    }

    @Test
    void rotatesPastTheSizeLimitKeepingThreeOldFiles() throws Exception {
        File file = dir.resolve("proxy.log").toFile();
        ProxyLog log = new ProxyLog(file, new PrintStream(new ByteArrayOutputStream()), false, Clock.systemUTC());
        String big = "x".repeat(64 * 1024);
        for (int i = 0; i < 100; i++) {
            log.info(big);
        }
        assertThat(file.length()).isLessThanOrEqualTo(ProxyLog.MAX_BYTES + big.length() + 200);
        assertThat(dir.resolve("proxy.log.1")).exists();
        assertThat(dir.resolve("proxy.log.3")).exists();
        assertThat(dir.resolve("proxy.log.4")).doesNotExist();
    }

    @Test
    void timestampsMatchJavaTime() {
        long[] samples = {0L, 951_782_400_123L, 1_764_374_584_005L, 4_102_444_799_999L, -86_400_001L};
        for (long ms : samples) {
            assertThat(Timestamps.iso(ms)).isEqualTo(Instant.ofEpochMilli(ms).toString().length() == 20
                    ? Instant.ofEpochMilli(ms).toString().replace("Z", ".000Z") : Instant.ofEpochMilli(ms).toString());
        }
    }

    @Test
    void aHostNameWithANewlineCannotForgeALineAndTheLogIsOwnerOnly() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        File file = dir.resolve("logs/proxy.log").toFile();
        ProxyLog log = new ProxyLog(file, new PrintStream(err, true), true, Clock.systemUTC());
        log.info("proxy ws\n2026-11-29T02:03:04.005Z INFO [1] login succeeded\r\u001b[2J\u0085 via /x");
        log.error("bell\u0007 del\u007f");
        java.util.List<String> lines = Files.readAllLines(file.toPath());
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).endsWith("proxy ws\\x0a2026-11-29T02:03:04.005Z INFO [1] login succeeded\\x0d\\x1b[2J\\x85 via /x");
        assertThat(lines.get(1)).endsWith("bell\\x07 del\\x7f");
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("\u001b").hasLineCount(1);
        // Whatever the umask: nobody else reads what the proxy logs.
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file.toPath())))
                .isEqualTo("rw-------");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file.toPath().getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void aSymlinkPlantedAsTheLogIsNotFollowed() throws Exception {
        Path target = dir.resolve("victim");
        Files.writeString(target, "untouched\n");
        Files.createDirectories(dir.resolve("logs"));
        Files.createSymbolicLink(dir.resolve("logs/proxy.log"), target);
        ProxyLog log = new ProxyLog(dir.resolve("logs/proxy.log").toFile(), new PrintStream(new ByteArrayOutputStream()),
                false, Clock.systemUTC());
        log.info("anything");
        assertThat(Files.readString(target)).isEqualTo("untouched\n");
    }
}
