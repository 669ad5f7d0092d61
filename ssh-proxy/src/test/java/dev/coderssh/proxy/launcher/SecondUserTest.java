package dev.coderssh.proxy.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 items 2 and 3 with two real local users (CI runs as root, which may useradd): a victim
 * whose home its group may write, and an attacker in that group. The launcher runs as the victim;
 * what it would exec or map lies below a directory the attacker can swap (the swap itself races
 * the exec, so the test proves the opening and checks the launcher does not use what is below it).
 */
class SecondUserTest {
    static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    static final List<String> ARGV = List.of("proxy", "--url", "https://coder.example.com", "coder.ws");
    /** What each user's commands printed (a directory of the test's, not the users'). */
    @TempDir
    Path said;
    String victim;
    String attacker;
    Path home;
    Path state;
    Path out;
    Path archive;

    @BeforeEach
    void users() throws Exception {
        assumeTrue(PlanCacheTrustTest.ROOT, "needs root to add users");
        String n = Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);
        victim = "csv" + n;
        attacker = "csa" + n;
        root("useradd", "-m", "-U", "-s", "/bin/sh", victim);
        root("useradd", "-M", "-N", "-G", victim, "-s", "/bin/sh", attacker);
        home = Path.of("/home", victim);
        state = home.resolve(".config/coder-ssh");
        out = home.resolve("out");
        Path jar = Files.copy(FakeJar.build(Files.createDirectories(home.resolve("fake"))), home.resolve("fake.jar"));
        Path cli = home.resolve("bin/coder");
        Files.createDirectories(cli.getParent());
        Files.writeString(cli, "#!/bin/sh\necho cli > '" + out.resolve("ran-cli") + "'\n");
        // java records its flags, then runs the real one.
        Path java = home.resolve("jdk/bin/java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, "#!/bin/sh\nprintf '%s\\n' \"$@\" >> '" + out.resolve("java-args") + "'\nexec '" + JAVA
                + "' \"$@\"\n");
        Path creds = state.resolve("credentials/https_coder.example.com_443.json");
        Files.createDirectories(creds.getParent());
        Files.writeString(creds, "{}");
        Files.createDirectories(state.resolve("logs"));
        Files.createDirectories(out);
        Path entry = state.resolve("cache/plans/p_proxy --url https:__coder.example.com coder.ws");
        Files.createDirectories(entry.getParent());
        List<String> lines = new ArrayList<>(List.of("coder-ssh-plan-cache-1",
                "until " + (System.currentTimeMillis() / 1000 + 600), "credentials " + creds, "argc " + ARGV.size()));
        ARGV.forEach(a -> lines.add("argv " + a));
        lines.addAll(List.of("coder-ssh-plan-1", "env CODER_SESSION_TOKEN=tok", "arg " + cli, "arg ssh", "coder-ssh-plan-end"));
        Files.write(entry, lines);
        archive = state.resolve("cache/cds" + jar.toString().replace('/', '_') + java.toString().replace('/', '_') + ".jsa");
        Files.writeString(archive, "an archive");
        root("chown", "-R", victim + ":" + victim, home.toString());
        root("chmod", "-R", "go-w", home.toString());
        root("chmod", "755", cli.toString(), java.toString());
        root("chmod", "700", state.toString());
        root("touch", "-d", "1 minute ago", creds.toString());
    }

    @AfterEach
    void removeUsers() throws Exception {
        if (victim != null) {
            new ProcessBuilder("userdel", "-r", victim).start().waitFor();
            new ProcessBuilder("userdel", attacker).start().waitFor();
        }
    }

    private static void root(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + said).isZero();
    }

    /** {@code sh -c script} as {@code user}, with a plain environment; its exit status. */
    private int as(String user, String script, String... env) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("runuser", "-u", user, "--", "env", "-i", "HOME=" + home,
                "PATH=/usr/bin:/bin"));
        cmd.addAll(List.of(env));
        cmd.addAll(List.of("sh", "-c", script));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(said.resolve(user + ".log").toFile())).start();
        return p.waitFor();
    }

    /** The launcher as the victim, class-data sharing on; the fake JVM exits 3. */
    private int connect(String... env) throws Exception {
        List<String> all = new ArrayList<>(List.of("CODER_SSH_JAR=" + home.resolve("fake.jar"), "JAVA_HOME=" + home.resolve("jdk"),
                "FAKE_STATUS=3", "FAKE_RAN=" + out.resolve("ran-jvm")));
        all.addAll(List.of(env));
        StringBuilder argv = new StringBuilder("exec " + LauncherTest.LAUNCHER + " proxy --url https://coder.example.com coder.ws");
        return as(victim, argv + " </dev/null", all.toArray(String[]::new));
    }

    private List<String> javaArgs() throws IOException {
        return Files.exists(out.resolve("java-args")) ? Files.readAllLines(out.resolve("java-args")) : List.of();
    }

    @Test
    void nothingBelowAHomeItsGroupMayWriteIsRunOrMapped() throws Exception {
        // The opening is real: the attacker, a group member, can swap the victim's ~/.config.
        assertThat(as(attacker, "mv " + home.resolve(".config") + " " + home.resolve(".config.x") + " && mv "
                + home.resolve(".config.x") + " " + home.resolve(".config"))).as("the attacker cannot swap").isNotZero();
        root("chmod", "775", home.toString());
        assertThat(as(attacker, "mv " + home.resolve(".config") + " " + home.resolve(".config.x") + " && mv "
                + home.resolve(".config.x") + " " + home.resolve(".config"))).as("the attacker can swap").isZero();
        // And the victim's entry and archive are in place and valid: with a home only the victim may
        // write, the entry runs (no JVM).
        root("chmod", "755", home.toString());
        assertThat(connect()).isZero();
        assertThat(out.resolve("ran-cli")).exists();
        Files.delete(out.resolve("ran-cli"));

        root("chmod", "775", home.toString());
        assertThat(connect()).isEqualTo(3);
        assertThat(out.resolve("ran-jvm")).as("the JVM ran instead").exists();
        assertThat(out.resolve("ran-cli")).as("the entry's CLI ran below a group-writable home").doesNotExist();
        assertThat(javaArgs()).as("the archive was mapped below a group-writable home")
                .noneMatch(a -> a.startsWith("-XX:SharedArchiveFile="));
    }

    @Test
    void anArchiveOthersCouldWriteIsNeverMapped() throws Exception {
        // chmod -R 777 of the state; the attacker rewrites the archive (it stays the victim's file);
        // the victim repairs the root only.
        assertThat(as(victim, "chmod -R 777 " + state)).isZero();
        assertThat(as(attacker, "printf 'attacker code' > " + archive)).as("the attacker's write").isZero();
        assertThat(Files.readString(archive)).isEqualTo("attacker code");
        assertThat(as(victim, "chmod 700 " + state + " && chmod 700 " + state.resolve("cache") + " && touch " + archive)).isZero();

        assertThat(connect("CODER_SSH_PLAN_CACHE=0")).isEqualTo(3);
        assertThat(javaArgs()).as("the launcher ran the JVM").isNotEmpty()
                .noneMatch(a -> a.equals("-XX:SharedArchiveFile=" + archive));
    }
}
