package dev.coderssh.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --login=browser} across real processes: one sign-in, everyone shown the same URL. */
class SignInGateTest {
    static final int PROCESSES = 4;
    static final String URL = "https://coder.example.com/oauth2/authorize?state=xyz";
    @TempDir
    Path home;

    @Test
    void concurrentProxiesStartOneBrowserSignInAndAllPrintItsUrl() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> procs = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            ProcessBuilder pb = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
                    System.getProperty("java.class.path"), SignInGateMain.class.getName(), home.toString());
            pb.redirectErrorStream(true);
            pb.redirectOutput(home.resolve("out" + i).toFile());
            procs.add(pb.start());
        }
        // Release the sign-in only once every process has shown the URL: the runner itself, and the
        // waiters reading it from the runner's side file. (A deadline, not a timing assertion.)
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!allShowUrl() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Files.writeString(home.resolve("release"), "");
        for (Process p : procs) {
            assertThat(p.waitFor()).isZero();
        }
        assertThat(Files.readAllLines(home.resolve("launches"))).hasSize(1);
        for (int i = 0; i < PROCESSES; i++) {
            assertThat(Files.readString(home.resolve("out" + i))).contains("sign in to continue: " + URL);
        }
        try (var locks = Files.list(home.resolve("locks"))) {
            assertThat(locks.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".url"));
        }
    }

    private boolean allShowUrl() throws Exception {
        for (int i = 0; i < PROCESSES; i++) {
            Path out = home.resolve("out" + i);
            if (!Files.exists(out) || !Files.readString(out).contains(URL)) {
                return false;
            }
        }
        return true;
    }
}
