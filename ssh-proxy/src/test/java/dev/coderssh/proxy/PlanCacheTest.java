package dev.coderssh.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.cli.Console;
import dev.coderssh.core.home.CoderSshHome;
import dev.coderssh.core.token.AccessToken;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the JVM leaves for the launcher's JVM-free fast path, and when it leaves nothing. */
class PlanCacheTest {
    static final String TOKEN = "Abcdefghij-0123456789abcdefghijkl";
    static final Instant NOW = Instant.parse("2026-11-29T05:00:00Z");
    @TempDir
    Path dir;
    final FakeCore core = new FakeCore(TOKEN);

    private Path home() {
        return dir.resolve("home");
    }

    private Path entry() {
        return home().resolve("cache/plans/p_proxy --url https:__coder.example.com coder.ws");
    }

    /** Runs {@code proxy ARGS} as under the launcher: a plan descriptor and the cache file offered. */
    private int proxyOffering(String cacheFile, String... args) throws Exception {
        Path plan = dir.resolve("plan");
        Map<String, String> env = new HashMap<>();
        env.put("CODER_SSH_HOME", home().toString());
        env.put("PATH", "/usr/bin:/bin");
        env.put(PlanCache.FILE_ENV, cacheFile);
        try (FileOutputStream keepOpen = new FileOutputStream(plan.toFile())) {
            env.put("CODER_SSH_PLAN_FD", ProxyCommandTest.fdOf(plan.toRealPath()));
            Console console = new Console(new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(new ByteArrayOutputStream()), env, Clock.fixed(NOW, ZoneOffset.UTC));
            return new ProxyCommand(core).run(List.of(args), console);
        }
    }

    private int proxy(String... args) throws Exception {
        return proxyOffering(entry().toString(), args);
    }

    @Test
    void theFastPathLeavesItsPlanWithArgvDeadlineAndCredentialsFileForTheLauncher() throws Exception {
        assertThat(proxy("--url", "https://coder.example.com", "--coder-binary", "/bin/true", "coder.ws")).isZero();

        List<String> lines = Files.readAllLines(entry());
        assertThat(lines.subList(0, 8)).containsExactly("coder-ssh-plan-cache-1",
                "until " + NOW.plus(PlanCache.MAX_AGE).getEpochSecond(),
                "credentials " + home().resolve("credentials/https_coder.example.com_443.json").toAbsolutePath(),
                "argc 6", "argv proxy", "argv --url", "argv https://coder.example.com", "argv --coder-binary");
        String plan = String.join("\n", lines.subList(10, lines.size())) + "\n";
        assertThat(plan).isEqualTo(Files.readString(dir.resolve("plan")));
        assertThat(Files.getPosixFilePermissions(entry())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(entry().getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        try (var files = Files.list(entry().getParent())) {
            assertThat(files).as("no temp file left behind").containsExactly(entry());
        }
    }

    @Test
    void theDeadlineIsTheTokensCappedAtAnHour() {
        AccessToken soon = token(NOW.plusSeconds(90));
        AccessToken late = token(NOW.plusSeconds(86_400));
        assertThat(PlanCache.until(soon, NOW)).isEqualTo(NOW.plusSeconds(90));
        assertThat(PlanCache.until(late, NOW)).isEqualTo(NOW.plus(PlanCache.MAX_AGE));
        assertThat(PlanCache.until(token(Instant.MAX), NOW)).isEqualTo(NOW.plus(PlanCache.MAX_AGE));
        assertThat(PlanCache.until(token(null), NOW)).as("keyring-held: never copied").isNull();
    }

    private static AccessToken token(Instant reusableUntil) {
        return new AccessToken(TOKEN, NOW.plusSeconds(3600), Set.of(), "alice", reusableUntil);
    }

    @Test
    void aKeyringHeldTokenIsNeverCopiedToTheCache() throws Exception {
        core.reusableUntil = null;
        assertThat(proxy("--url", "https://coder.example.com", "--coder-binary", "/bin/true", "coder.ws")).isZero();
        assertThat(entry()).doesNotExist();
    }

    @Test
    void verboseRunsAndRunsWithoutUrlLeaveNothing() throws Exception {
        assertThat(proxy("-v", "--url", "https://coder.example.com", "--coder-binary", "/bin/true", "coder.ws")).isZero();
        core.signedIn.add(dev.coderssh.core.deployment.DeploymentUrl.parse("https://coder.example.com"));
        assertThat(proxy("--coder-binary", "/bin/true", "coder.ws")).isZero();
        assertThat(home().resolve("cache/plans")).doesNotExist();
    }

    @Test
    void anArgumentOrPathWithALineBreakIsNotCached() {
        // (The plan itself refuses such a CLI argument; the proxy's own flags, -v say, are not in it.)
        assertThat(PlanCache.encode(List.of("proxy", "a\nb"), NOW, Path.of("/c.json"), "plan\n")).isNull();
        assertThat(PlanCache.encode(List.of("proxy"), NOW, Path.of("/c\n.json"), "plan\n")).isNull();
    }

    @Test
    void anEntryIsDroppedWhenThePeersRefreshReplacedTheTokenMeanwhile() throws Exception {
        core.storedAfterHandOver = "Zyxwvutsrq-9876543210zyxwvutsrqpo";
        assertThat(proxy("--url", "https://coder.example.com", "--coder-binary", "/bin/true", "coder.ws")).isZero();
        assertThat(entry()).doesNotExist();
    }

    @Test
    void onlyAFileInsideTheCacheDirectoryIsWritten() throws Exception {
        CoderSshHome home = new CoderSshHome(home());
        assertThat(PlanCache.requested(Map.of(PlanCache.FILE_ENV, entry().toString()), home)).isEqualTo(entry());
        for (String elsewhere : new String[] {"", dir.resolve("p_x").toString(), home().resolve("cache/plans/other").toString(),
                home().resolve("cache/plans/sub/p_x").toString(), home().resolve("cache/plans/../p_x").toString()}) {
            assertThat(PlanCache.requested(Map.of(PlanCache.FILE_ENV, elsewhere), home)).as(elsewhere).isNull();
        }
        assertThat(PlanCache.requested(Map.of(), home)).isNull();

        // A launcher that resolved another home than the JVM did: the JVM writes nothing.
        assertThat(proxyOffering(dir.resolve("elsewhere/cache/plans/p_x").toString(), "--url", "https://coder.example.com",
                "--coder-binary", "/bin/true", "coder.ws")).isZero();
        assertThat(dir.resolve("elsewhere")).doesNotExist();
    }

    @Test
    void aFailedWriteLeavesNothingAndTheConnectionGoesAhead() throws Exception {
        Files.createDirectories(home().resolve("cache"));
        Files.writeString(home().resolve("cache/plans"), "a file where the directory should be");
        assertThat(proxy("--url", "https://coder.example.com", "--coder-binary", "/bin/true", "coder.ws")).isZero();
        assertThat(Files.readString(dir.resolve("plan"))).startsWith(PlanCodec.MAGIC);
        assertThat(Files.readString(home().resolve("cache/plans"))).isEqualTo("a file where the directory should be");
    }

    @Test
    void entriesRecordTheArgvExactly() {
        List<String> argv = new ArrayList<>(List.of("proxy", "--header", "X-A: b  c", "", "*", "coder.ws"));
        String text = PlanCache.encode(argv, NOW, Path.of("/h/c.json"), "coder-ssh-plan-1\ncoder-ssh-plan-end\n");
        assertThat(text).isEqualTo("coder-ssh-plan-cache-1\nuntil " + NOW.getEpochSecond() + "\ncredentials /h/c.json\n"
                + "argc 6\nargv proxy\nargv --header\nargv X-A: b  c\nargv \nargv *\nargv coder.ws\n"
                + "coder-ssh-plan-1\ncoder-ssh-plan-end\n");
    }

    @Test
    void noEntryIsWrittenIntoACacheAnotherUserCouldReach() throws Exception {
        // A cache directory that is a symlink to a shared place, and a plans directory others may write.
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.createDirectories(home());
        Files.createSymbolicLink(home().resolve("cache"), shared);
        assertThat(proxy("--url", "https://coder.example.com", "--coder-binary", "/bin/true", "coder.ws")).isZero();
        assertThat(shared).isEmptyDirectory();

        // Our own plans directory, group-writable (a umask of 002): restricted to us, then used.
        Files.delete(home().resolve("cache"));
        Files.createDirectories(home().resolve("cache/plans"));
        Files.setPosixFilePermissions(home().resolve("cache/plans"), PosixFilePermissions.fromString("rwxrwx---"));
        assertThat(proxy("--url", "https://coder.example.com", "--coder-binary", "/bin/true", "coder.ws")).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home().resolve("cache/plans"))))
                .isEqualTo("rwx------");
        assertThat(entry()).exists();
    }

    @Test
    void noEntryIsWrittenIntoAnotherUsersPlansDirectory() throws Exception {
        Path plans = Files.createDirectories(home().resolve("cache/plans"));
        if ("root".equals(System.getProperty("user.name"))) {
            Files.setOwner(plans, plans.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        } else {
            // No other owner to give it without root: the same refusal through a symlink to it.
            Files.move(plans, home().resolve("cache/real-plans"));
            Files.createSymbolicLink(plans, home().resolve("cache/real-plans"));
        }
        assertThat(proxy("--url", "https://coder.example.com", "--coder-binary", "/bin/true", "coder.ws")).isZero();
        assertThat(entry()).doesNotExist();
    }

    @Test
    void aFailedWriteIsNotRetriedByTheNextConnections() throws Exception {
        // A directory where the entry goes: the rename fails, as a full or read-only disk would.
        Files.createDirectories(entry().resolve("in-the-way"));
        assertThat(proxy("--url", "https://coder.example.com", "--coder-binary", "/bin/true", "coder.ws")).isZero();
        assertThat(home().resolve("cache/plans/" + PlanCache.FAILED)).exists();
        // Cleared at once, but within the back-off the next connection does not try.
        Files.delete(entry().resolve("in-the-way"));
        Files.delete(entry());
        assertThat(proxy("--url", "https://coder.example.com", "--coder-binary", "/bin/true", "coder.ws")).isZero();
        assertThat(entry()).doesNotExist();
        // Once the back-off has passed it does.
        assertThat(home().resolve("cache/plans/" + PlanCache.FAILED).toFile()
                .setLastModified(System.currentTimeMillis() - PlanCache.BACKOFF.toMillis() - 1000)).isTrue();
        assertThat(proxy("--url", "https://coder.example.com", "--coder-binary", "/bin/true", "coder.ws")).isZero();
        assertThat(entry()).exists();
    }

    @Test
    void anArgumentWithAControlCharacterIsNotCached() {
        // The launcher logs the host of a cached run as it is: no escape sequence may reach the log.
        assertThat(PlanCache.encode(List.of("proxy", "ws\u001b[2J"), NOW, Path.of("/c.json"), "plan\n")).isNull();
        assertThat(PlanCache.encode(List.of("proxy", "ws\u007f"), NOW, Path.of("/c.json"), "plan\n")).isNull();
    }
}
