package dev.coderssh.proxy.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real {@code bin/coder-ssh} against a fake jar to test the exec hand-off by itself. */
class LauncherTest {
    static final Path LAUNCHER = Path.of("..", "bin", "coder-ssh").toAbsolutePath().normalize();
    static final String TOKEN = "Tok3nValue-SECRETsecretSECRET12345";
    @TempDir
    static Path shared;
    static Path jar;
    @TempDir
    Path dir;

    @BeforeAll
    static void buildJar() throws IOException {
        jar = FakeJar.build(shared);
    }

    /** A stand-in CLI: records its argv, env token and /proc cmdline, and echoes stdin to stdout. */
    private Path fakeCli() throws IOException {
        Path cli = dir.resolve("fake coder");
        Files.writeString(cli, String.join("\n",
                "#!/bin/sh",
                "out=\"$(dirname \"$0\")/seen\"",
                ": > \"$out\"",
                "for a in \"$@\"; do printf '[%s]\\n' \"$a\" >> \"$out\"; done",
                "printf 'token=%s\\nurl=%s\\n' \"$CODER_SESSION_TOKEN\" \"$CODER_URL\" >> \"$out\"",
                "tr '\\0' ' ' < /proc/$$/cmdline > \"$out.cmdline\"",
                "ls /proc/$$/fd > \"$out.fds\"",
                "echo $$ > \"$out.pid\"",
                "cat",
                "exit 7"));
        assertThat(cli.toFile().setExecutable(true)).isTrue();
        return cli;
    }

    private Result launch(List<String> planLines, String status, String stdin, String... args) throws Exception {
        Path plan = dir.resolve("plan");
        try (var out = Files.newOutputStream(plan)) {
            FakeJar.write(out, planLines);
        }
        ProcessBuilder pb = launcher(plan, status, args);
        pb.redirectOutput(dir.resolve("stdout").toFile());
        pb.redirectError(dir.resolve("stderr").toFile());
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        int rc = p.waitFor();
        pid = p.pid();
        return new Result(rc, Files.readString(dir.resolve("stdout")), Files.readString(dir.resolve("stderr")));
    }

    /** The launcher with the fake jar's knobs set; {@link #extraEnv} on top. */
    private ProcessBuilder launcher(Path plan, String status, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(LAUNCHER.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("CODER_SSH_JAR", jar.toString());
        env.put("CODER_SSH_HOME", dir.resolve("home").toString());
        env.put("CODER_SSH_CDS", "0");
        env.put("FAKE_PLAN", plan.toString());
        env.put("FAKE_STATUS", status);
        env.put("FAKE_RAN", ran.toString());
        env.putAll(extraEnv);
        return pb;
    }

    long pid;
    /** Written by the fake JVM when it runs: the plan cache file the launcher offered it. */
    Path ran;
    final Map<String, String> extraEnv = new java.util.HashMap<>();

    @org.junit.jupiter.api.BeforeEach
    void paths() {
        ran = dir.resolve("ran");
    }

    record Result(int status, String stdout, String stderr) {
    }

    @Test
    void execsTheCliWithTheTokenInItsEnvironmentAndExactArgv() throws Exception {
        Path cli = fakeCli();
        Result r = launch(List.of("coder-ssh-plan-1", "env CODER_URL=https://coder.example.com",
                "env CODER_SESSION_TOKEN=" + TOKEN, "arg " + cli, "arg --url", "arg https://coder.example.com",
                "arg ", "arg  two  spaces ", "arg $(touch pwned)", "arg *", "arg ssh", "coder-ssh-plan-end"),
                "0", "bytes from ssh\n", "proxy", "coder.ws");
        assertThat(r.status()).isEqualTo(7);
        // The CLI owns ssh's stdin/stdout directly; the JVM's stdout went to stderr.
        assertThat(r.stdout()).isEqualTo("bytes from ssh\n");
        assertThat(r.stderr()).contains("JVM NOISE ON ITS STDOUT");
        assertThat(Files.readString(dir.resolve("seen"))).isEqualTo(String.join("\n", "[--url]",
                "[https://coder.example.com]", "[]", "[ two  spaces ]", "[$(touch pwned)]", "[*]", "[ssh]",
                "token=" + TOKEN, "url=https://coder.example.com", ""));
        assertThat(Files.readString(dir.resolve("seen.cmdline"))).doesNotContain(TOKEN).contains("--url");
        assertThat(dir.resolve("pwned")).doesNotExist();
        // exec: the CLI is the very process ssh started, so no JVM (nor shell) outlives the hand-off.
        assertThat(Files.readString(dir.resolve("seen.pid")).strip()).isEqualTo(Long.toString(pid));
        // The plan and stdout descriptors are closed before the exec.
        assertThat(Files.readAllLines(dir.resolve("seen.fds"))).doesNotContain("3", "4");
    }

    @Test
    void aPlanWithoutItsEndMarkerIsRefusedAndNothingRuns() throws Exception {
        Path cli = fakeCli();
        Result r = launch(List.of("coder-ssh-plan-1", "env CODER_SESSION_TOKEN=" + TOKEN, "arg " + cli),
                "0", "", "proxy", "coder.ws");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).contains("malformed").doesNotContain(TOKEN);
        assertThat(dir.resolve("seen")).doesNotExist();
    }

    @Test
    void aPlanSettingAnyOtherVariableIsRefused() throws Exception {
        Path cli = fakeCli();
        Result r = launch(List.of("coder-ssh-plan-1", "env LD_PRELOAD=/tmp/evil.so", "arg " + cli,
                "coder-ssh-plan-end"), "0", "", "proxy", "coder.ws");
        assertThat(r.status()).isEqualTo(1);
        assertThat(dir.resolve("seen")).doesNotExist();
    }

    @Test
    void theJvmsFailureStatusIsTheLaunchersAndStdoutStaysEmpty() throws Exception {
        Result r = launch(List.of(), "3", "", "proxy", "coder.ws");
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void otherCommandsKeepTheirStdout() throws Exception {
        Result r = launch(List.of(), "0", "", "status");
        assertThat(r.status()).isZero();
        assertThat(r.stdout()).isEqualTo("JVM NOISE ON ITS STDOUT\n");
    }

    // --- The plan cache: the JVM-free fast path (PlanCache.java) --------------------------------

    static final List<String> ARGV = List.of("proxy", "--url", "https://coder.example.com", "coder.ws");

    /** A first run finds no entry: the JVM runs and is offered the cache file, which is returned. */
    private Path offeredEntry() throws Exception {
        launch(List.of(), "3", "", ARGV.toArray(String[]::new));
        assertThat(ran).exists();
        Path entry = Path.of(Files.readString(ran).strip());
        Files.delete(ran);
        return entry;
    }

    /** A credentials file a minute old: an entry written now is newer. */
    private Path credentials() throws IOException {
        Path creds = dir.resolve("home/credentials/c.json");
        Files.createDirectories(creds.getParent());
        Files.writeString(creds, "{}");
        assertThat(creds.toFile().setLastModified(System.currentTimeMillis() - 60_000)).isTrue();
        return creds;
    }

    private static List<String> entry(long until, Path creds, Path cli) {
        return entry(until, creds, cli, ARGV);
    }

    private static List<String> entry(long until, Path creds, Path cli, List<String> argv) {
        List<String> lines = new ArrayList<>(List.of("coder-ssh-plan-cache-1", "until " + until, "credentials " + creds,
                "argc " + argv.size()));
        for (String a : argv) {
            lines.add("argv " + a);
        }
        lines.addAll(List.of("coder-ssh-plan-1", "env CODER_URL=https://coder.example.com",
                "env CODER_SESSION_TOKEN=" + TOKEN, "arg " + cli, "arg ssh", "arg --stdio", "arg ws", "coder-ssh-plan-end"));
        return lines;
    }

    private static long secondsFromNow(long seconds) {
        return System.currentTimeMillis() / 1000 + seconds;
    }

    private static void write(Path file, List<String> lines) throws IOException {
        Files.createDirectories(file.getParent());
        try (var out = Files.newOutputStream(file)) {
            FakeJar.write(out, lines);
        }
    }

    @Test
    void theJvmIsOfferedACacheEntryNamedAfterTheArgv() throws Exception {
        assertThat(offeredEntry()).isEqualTo(dir.resolve("home/cache/plans/p_proxy --url https:__coder.example.com coder.ws"));
    }

    @Test
    void aValidEntryExecsTheCliWithoutStartingAJvm() throws Exception {
        Path cli = fakeCli();
        Path entry = offeredEntry();
        write(entry, entry(secondsFromNow(600), credentials(), cli));
        Files.createDirectories(dir.resolve("home/logs")); // the JVM that wrote the entry made it

        // The fake JVM would exit 3: the CLI's 7 shows it never ran.
        Result r = launch(List.of(), "3", "bytes from ssh\n", ARGV.toArray(String[]::new));
        assertThat(r.status()).isEqualTo(7);
        assertThat(ran).doesNotExist();
        assertThat(r.stdout()).isEqualTo("bytes from ssh\n");
        assertThat(r.stderr()).isEmpty();
        assertThat(Files.readString(dir.resolve("seen"))).isEqualTo(String.join("\n", "[ssh]", "[--stdio]", "[ws]",
                "token=" + TOKEN, "url=https://coder.example.com", ""));
        assertThat(Files.readString(dir.resolve("seen.cmdline"))).doesNotContain(TOKEN);
        assertThat(Files.readString(dir.resolve("seen.pid")).strip()).isEqualTo(Long.toString(pid));
        assertThat(Files.readString(dir.resolve("home/logs/proxy.log")))
                .contains("INFO [" + pid + "] proxy coder.ws via the cached plan (no JVM)").doesNotContain(TOKEN);
    }

    enum Doubt {
        EXPIRED, CREDENTIALS_NEWER, CREDENTIALS_GONE, OTHER_HOST, EXTRA_ARGUMENT, CLI_NOT_EXECUTABLE, NO_END_MARKER,
        FOREIGN_VARIABLE, UNKNOWN_FORMAT, CACHE_DISABLED
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Doubt.class)
    void anyDoubtAboutTheEntryAndTheJvmRunsAsBefore(Doubt doubt) throws Exception {
        Path cli = fakeCli();
        Path entry = offeredEntry();
        Path creds = credentials();
        List<String> lines = new ArrayList<>(entry(secondsFromNow(600), creds, cli));
        List<String> argv = new ArrayList<>(ARGV);
        switch (doubt) {
            case EXPIRED -> lines.set(1, "until " + secondsFromNow(-1));
            case OTHER_HOST -> lines.set(7, "argv coder.other");
            case EXTRA_ARGUMENT -> argv.add(1, "--disable-autostart");
            case NO_END_MARKER -> lines.remove(lines.size() - 1);
            case FOREIGN_VARIABLE -> lines.add(lines.size() - 1, "env LD_PRELOAD=/tmp/evil.so");
            case UNKNOWN_FORMAT -> lines.set(0, "coder-ssh-plan-cache-0");
            case CACHE_DISABLED -> extraEnv.put("CODER_SSH_PLAN_CACHE", "0");
            default -> { }
        }
        write(entry, lines);
        switch (doubt) {
            // A refresh, a new sign-in or a hand edit since the entry was written.
            case CREDENTIALS_NEWER -> assertThat(entry.toFile().setLastModified(System.currentTimeMillis() - 120_000)).isTrue();
            case CREDENTIALS_GONE -> Files.delete(creds);
            case CLI_NOT_EXECUTABLE -> assertThat(cli.toFile().setExecutable(false)).isTrue();
            default -> { }
        }

        Result r = launch(List.of(), "3", "", argv.toArray(String[]::new));
        assertThat(ran).as("the JVM ran").exists();
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.stdout()).isEmpty();
        assertThat(dir.resolve("seen")).as("the CLI never ran").doesNotExist();
    }

    @Test
    void connectionsStartedTogetherShareOneJvmAndItsEntry() throws Exception {
        // A CLI that records the token it was given; and a fake JVM that takes a while, then leaves
        // the entry the real one would (pointing at that CLI) and exits with 3 (so a waiter that
        // ran the JVM itself would fail).
        Path cli = dir.resolve("cli");
        Files.writeString(cli, "#!/bin/sh\nprintf '%s\\n' \"$CODER_SESSION_TOKEN\" >> \"$(dirname \"$0\")/tokens\"\n");
        assertThat(cli.toFile().setExecutable(true)).isTrue();
        Path entry = dir.resolve("entry");
        write(entry, entry(secondsFromNow(600), credentials(), cli));
        extraEnv.put("FAKE_ENTRY", entry.toString());
        extraEnv.put("FAKE_SLEEP_MS", "1500");
        Path plan = dir.resolve("plan");
        Files.writeString(plan, "");

        List<Process> all = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ProcessBuilder pb = launcher(plan, "0", ARGV.toArray(String[]::new));
            pb.redirectOutput(dir.resolve("stdout" + i).toFile()).redirectError(dir.resolve("stderr" + i).toFile());
            all.add(pb.start());
        }
        List<Integer> statuses = new ArrayList<>();
        for (Process p : all) {
            p.getOutputStream().close();
            statuses.add(p.waitFor());
        }
        assertThat(Files.readAllLines(ran)).as("JVM runs").hasSize(1);
        // The JVM's own run wrote an empty plan, so only the five waiters reached the CLI.
        assertThat(statuses).containsOnly(0);
        assertThat(Files.readAllLines(dir.resolve("tokens"))).hasSize(5).containsOnly(TOKEN);
        assertThat(dir.resolve("home/cache/plans")).isDirectoryNotContaining("glob:**.lock");
    }

    @Test
    void withABrowserSignInNobodyWaitsSoEveryConnectionCanShowTheUrl() throws Exception {
        // The first JVM leaves a valid entry: had the others waited, they would have used it.
        List<String> argv = List.of("proxy", "--login", "browser", "--url", "https://coder.example.com", "coder.ws");
        Path cli = fakeCli();
        Path entry = dir.resolve("entry");
        write(entry, entry(secondsFromNow(600), credentials(), cli, argv));
        extraEnv.put("FAKE_ENTRY", entry.toString());
        extraEnv.put("FAKE_SLEEP_MS", "1500");
        Path plan = dir.resolve("plan");
        Files.writeString(plan, "");
        List<Process> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ProcessBuilder pb = launcher(plan, "0", argv.toArray(String[]::new));
            pb.redirectOutput(dir.resolve("stdout" + i).toFile()).redirectError(dir.resolve("stderr" + i).toFile());
            all.add(pb.start());
        }
        for (Process p : all) {
            p.getOutputStream().close();
            assertThat(p.waitFor()).isZero();
        }
        assertThat(Files.readAllLines(ran)).as("JVM runs").hasSize(3);
    }

    @Test
    void aLockLeftByAConnectionThatDiedIsRemovedAndTheJvmRuns() throws Exception {
        Path lock = Files.createDirectories(dir.resolve("home/cache/plans/p_proxy --url https:__coder.example.com coder.ws.lock"));
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(lock.resolve(Long.toString(gone.pid())), "");

        Result r = launch(List.of(), "3", "", ARGV.toArray(String[]::new));
        assertThat(r.status()).isEqualTo(3);
        assertThat(ran).exists();
        assertThat(lock).doesNotExist();
    }
}
