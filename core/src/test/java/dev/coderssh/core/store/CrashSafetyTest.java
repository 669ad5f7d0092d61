package dev.coderssh.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.home.CoderSshHome;
import dev.coderssh.core.testing.Jvm;
import dev.coderssh.core.testing.StoreWriterMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGKILL a process while it rewrites the store: what is left always loads. */
class CrashSafetyTest {
    @TempDir
    Path tmp;

    @Test
    void storeSurvivesSigkillMidWrite() throws Exception {
        Path root = tmp.resolve("home");
        Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        String url = "https://coder.example.com";
        Random random = new Random();
        for (int round = 0; round < 5; round++) {
            Process p = Jvm.builder(List.of(), StoreWriterMain.class, root.toString(), url)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            byte[] ready = p.getInputStream().readNBytes(6);
            assertThat(new String(ready)).isEqualTo("ready\n");
            Thread.sleep(20 + random.nextInt(200));
            p.destroyForcibly(); // SIGKILL on POSIX
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(137);
            ByteArrayOutputStream warnings = new ByteArrayOutputStream();
            CredentialStore store = new CredentialStore(new CoderSshHome(root), new PrintStream(warnings), Clock.systemUTC());
            Credentials c = store.load(DeploymentUrl.parse(url));
            assertThat(c).isNotNull();
            assertThat(c.accessToken()).startsWith("AT");
            assertThat(warnings.toString()).isEmpty();
        }
    }
}
