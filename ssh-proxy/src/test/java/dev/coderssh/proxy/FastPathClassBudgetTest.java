package dev.coderssh.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.testing.LauncherFlags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Holds the ProxyCommand's fast path (fresh token, CLI given) to a class budget, counted with
 * -Xlog:class+load in a JVM of its own, so a later change cannot quietly put OkHttp, Jackson or a
 * lambda bootstrap back on the path every ssh connection pays for.
 */
class FastPathClassBudgetTest {
    /**
     * Classes the fast path may load beyond an empty main. 196 before issue 12; 261 measured
     * 2026-12-01 after it: the owner/mode/symlink checks of every path before it is trusted
     * (PathCheck: POSIX attribute views, user principals, permission sets), the log opened 0600
     * without following a symlink (file channels), the plan entry's capped deadline
     * (java.time.Duration). All JDK classes the class-data archive serves; OkHttp or Jackson would
     * add hundreds, so the budget still trips on them.
     */
    static final int BUDGET = 275;
    @TempDir
    Path dir;

    /** The classes {@code main} loads in a JVM with the launcher's proxy flags (fd 3 to ./plan). */
    private List<String> loadedClasses(String main, Path home, String... args) throws Exception {
        List<String> mainAndArgs = new ArrayList<>(List.of(main));
        mainAndArgs.addAll(List.of(args));
        List<String> names = LauncherFlags.loadedClasses(dir, main, System.getProperty("java.class.path"),
                Map.of("CODER_SSH_HOME", home.toString(), "CODER_SSH_PLAN_FD", "3"), mainAndArgs.toArray(String[]::new));
        if (Files.exists(dir.resolve(main + ".plan")) && Files.size(dir.resolve(main + ".plan")) > 0) {
            Files.copy(dir.resolve(main + ".plan"), dir.resolve("plan"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return names;
    }

    @Test
    void fastPathStaysWithinItsClassBudgetAndLoadsNoHttpJsonOrLambdas() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        List<String> baseline = loadedClasses("dev.coderssh.proxy.EmptyMain", home);
        List<String> fast = loadedClasses("dev.coderssh.proxy.FastPathMain", home,
                "--url", "https://coder.example.com", "--coder-binary", "/bin/true", "coder.ws");
        assertThat(PlanCodec.decode(Files.readString(dir.resolve("plan"))).argv()).contains("/bin/true", "ws");
        List<String> extra = new ArrayList<>(fast);
        extra.removeAll(baseline);
        Files.write(dir.resolve("extra.txt"), extra);
        assertThat(extra).noneMatch(c -> c.startsWith("okhttp3.") || c.startsWith("okio.")
                || c.startsWith("com.fasterxml.jackson.databind.") || c.startsWith("picocli.")
                || c.startsWith("java.util.regex.") || c.startsWith("java.time.format.")
                || c.contains("$$Lambda") || c.startsWith("java.lang.invoke.LambdaMetafactory")
                // a SecureRandom loads the security providers: ~15 ms per connection
                || c.startsWith("sun.security.jca.") || c.equals("java.security.SecureRandom")
                // ProcessHandle's initialisation bootstraps lambdas and an executor
                || c.equals("java.lang.ProcessHandleImpl"));
        assertThat(extra.size()).as("classes beyond an empty main: %s", extra).isLessThanOrEqualTo(BUDGET);
    }
}
