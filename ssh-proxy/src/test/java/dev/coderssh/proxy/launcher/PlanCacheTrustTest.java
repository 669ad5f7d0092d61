package dev.coderssh.proxy.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The launcher's plan cache against a hostile local user (issue 12, invariant 1): an entry is a
 * command the launcher runs, so it runs one only from paths nobody else could have written. Each
 * case plants a working entry the way an attacker could and checks the JVM runs instead; a fuzz
 * run then feeds the reader mangled entries and checks it never execs anything but the real CLI.
 */
class PlanCacheTrustTest {
    static final List<String> ARGV = List.of("proxy", "--url", "https://coder.example.com", "coder.ws");
    static final boolean ROOT = "root".equals(System.getProperty("user.name"));
    @TempDir
    static Path shared;
    static Path jar;
    @TempDir
    Path dir;
    Path home;
    Path entry;
    Path creds;
    Path cli;

    @BeforeAll
    static void buildJar() throws IOException {
        jar = FakeJar.build(shared);
    }

    @BeforeEach
    void layout() throws IOException {
        home = dir.resolve("home");
        entry = home.resolve("cache/plans/p_proxy --url https:__coder.example.com coder.ws");
        Files.createDirectories(entry.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.createDirectories(home.resolve("logs"));
        creds = home.resolve("credentials/https_coder.example.com_443.json");
        Files.createDirectories(creds.getParent());
        Files.writeString(creds, "{}");
        assertThat(creds.toFile().setLastModified(System.currentTimeMillis() - 60_000)).isTrue();
        cli = script(dir.resolve("bin/coder"), "echo real > \"" + dir.resolve("ran-cli") + "\"");
    }

    private Path script(Path file, String body) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        assertThat(file.toFile().setExecutable(true)).isTrue();
        return file;
    }

    private static List<String> entryLines(long until, Path credentials, String cliPath) {
        List<String> lines = new ArrayList<>(List.of("coder-ssh-plan-cache-1", "until " + until,
                "credentials " + credentials, "argc " + ARGV.size()));
        ARGV.forEach(a -> lines.add("argv " + a));
        lines.addAll(List.of("coder-ssh-plan-1", "env CODER_SESSION_TOKEN=tok", "arg " + cliPath, "arg ssh",
                "coder-ssh-plan-end"));
        return lines;
    }

    private static long inSeconds(long s) {
        return System.currentTimeMillis() / 1000 + s;
    }

    private static void write(Path file, List<String> lines) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", lines) + "\n");
    }

    /** Runs the launcher; the fake JVM exits 3 and records that it ran in ./ran-jvm. */
    private int launch() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of(LauncherTest.LAUNCHER.toString())));
        pb.command().addAll(ARGV);
        pb.environment().put("CODER_SSH_JAR", jar.toString());
        pb.environment().put("CODER_SSH_HOME", home.toString());
        pb.environment().put("CODER_SSH_CDS", "0");
        pb.environment().put("FAKE_STATUS", "3");
        pb.environment().put("FAKE_RAN", dir.resolve("ran-jvm").toString());
        pb.redirectOutput(dir.resolve("stdout").toFile()).redirectError(dir.resolve("stderr").toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        return p.waitFor();
    }

    private static void chown(Path path, String user) throws IOException {
        UserPrincipal who = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
        Files.setOwner(path, who);
    }

    @Test
    void aGoodEntryStillRunsWithoutTheJvm() throws Exception {
        write(entry, entryLines(inSeconds(600), creds, cli.toString()));
        assertThat(launch()).isZero();
        assertThat(dir.resolve("ran-cli")).exists();
        assertThat(dir.resolve("ran-jvm")).doesNotExist();
        // The launcher's log line created proxy.log: owner-only whatever the umask.
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("logs/proxy.log"))))
                .isEqualTo("rw-------");
    }

    enum Attack {
        ROOT_WRITABLE_BY_ALL, CACHE_SYMLINK_TO_SHARED_DIR, PLANS_GROUP_WRITABLE, ENTRY_WRITABLE_BY_OTHERS, ENTRY_SYMLINK,
        ENTRY_OWNED_BY_ANOTHER_USER, UNTIL_BEYOND_AN_HOUR, UNTIL_HUGE, CREDENTIALS_ANY_OLD_FILE, CREDENTIALS_VIA_DOTDOT,
        CREDENTIALS_SYMLINK, CLI_IN_A_SHARED_DIR, CLI_WRITABLE_BY_OTHERS, CLI_SYMLINK, CLI_RELATIVE, CLI_OWNED_BY_ANOTHER_USER
    }

    @ParameterizedTest
    @EnumSource(Attack.class)
    void anEntryAnotherUserCouldHavePlantedIsNeverRun(Attack attack) throws Exception {
        Path evil = script(dir.resolve("shared/evil"), "echo pwned > \"" + dir.resolve("pwned") + "\"");
        Files.setPosixFilePermissions(evil.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
        long until = inSeconds(600);
        Path credentials = creds;
        String runs = evil.toString();
        switch (attack) {
            case UNTIL_BEYOND_AN_HOUR -> until = inSeconds(7200);
            case UNTIL_HUGE -> until = 0;
            case CREDENTIALS_ANY_OLD_FILE -> credentials = Path.of("/etc/hostname");
            case CREDENTIALS_VIA_DOTDOT -> credentials = home.resolve("credentials/../logs/x.json");
            default -> { }
        }
        List<String> lines = entryLines(until, credentials, runs);
        if (attack == Attack.UNTIL_HUGE) {
            lines.set(1, "until 99999999999999999999999999");
        }
        // The cases about the state directory plant the attacker's command; those about the CLI
        // name a CLI whose file or directory is the weak point.
        switch (attack) {
            case ROOT_WRITABLE_BY_ALL -> Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxrwxrwx"));
            case CACHE_SYMLINK_TO_SHARED_DIR -> {
                Path elsewhere = dir.resolve("shared/cache");
                Files.move(home.resolve("cache"), elsewhere);
                Files.createSymbolicLink(home.resolve("cache"), elsewhere);
            }
            case PLANS_GROUP_WRITABLE -> Files.setPosixFilePermissions(entry.getParent(), PosixFilePermissions.fromString("rwxrwx---"));
            case CREDENTIALS_VIA_DOTDOT -> {
                Files.writeString(home.resolve("logs/x.json"), "{}");
                assertThat(home.resolve("logs/x.json").toFile().setLastModified(System.currentTimeMillis() - 60_000)).isTrue();
            }
            case CREDENTIALS_SYMLINK -> {
                Files.delete(creds);
                Files.createSymbolicLink(creds, Path.of("/etc/hostname"));
            }
            case CLI_IN_A_SHARED_DIR -> { }
            case CLI_WRITABLE_BY_OTHERS, CLI_SYMLINK, CLI_RELATIVE, CLI_OWNED_BY_ANOTHER_USER -> {
                Files.setPosixFilePermissions(evil.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
                runs = switch (attack) {
                    case CLI_SYMLINK -> Files.createSymbolicLink(dir.resolve("link"), evil).toString();
                    case CLI_RELATIVE -> "shared/evil";
                    default -> evil.toString();
                };
                lines = entryLines(until, credentials, runs);
                if (attack == Attack.CLI_WRITABLE_BY_OTHERS || (attack == Attack.CLI_OWNED_BY_ANOTHER_USER && !ROOT)) {
                    Files.setPosixFilePermissions(evil, PosixFilePermissions.fromString("rwxrwxrwx"));
                } else if (attack == Attack.CLI_OWNED_BY_ANOTHER_USER) {
                    chown(evil, "nobody");
                }
            }
            default -> { }
        }
        Path planted = home.resolve("cache/plans").resolve(entry.getFileName());
        if (attack == Attack.ENTRY_SYMLINK) {
            write(dir.resolve("shared/entry"), lines);
            Files.createSymbolicLink(planted, dir.resolve("shared/entry"));
        } else {
            write(planted, lines);
        }
        if (attack == Attack.ENTRY_WRITABLE_BY_OTHERS || (attack == Attack.ENTRY_OWNED_BY_ANOTHER_USER && !ROOT)) {
            // Not root: no other owner to give it; an entry anyone may write is the same hole.
            Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rw-rw-rw-"));
        } else if (attack == Attack.ENTRY_OWNED_BY_ANOTHER_USER) {
            chown(planted, "nobody");
        }

        // The JVM would exit 3 (it runs, and refuses such a directory); the entry is never used.
        assertThat(launch()).isEqualTo(3);
        assertThat(dir.resolve("ran-jvm")).as("the JVM ran").exists();
        assertThat(dir.resolve("pwned")).as("the planted command ran").doesNotExist();
    }

    /**
     * Property: whatever bytes an entry holds, the launcher either runs the JVM or execs the one
     * CLI our valid entry names, with a plan built only from lines the hand-off accepts; never a
     * program from a directory another user can write. Mutations: dropped, repeated, swapped or rewritten lines, random bytes.
     */
    @Test
    void mangledEntriesNeverRunAnythingButTheRealCli() throws Exception {
        // Where another user can write: the only programs an entry may name besides the real CLI.
        Path evil = script(dir.resolve("shared/evil"), "echo pwned > \"" + dir.resolve("pwned") + "\"");
        Files.setPosixFilePermissions(evil.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
        List<String> good = entryLines(inSeconds(600), creds, cli.toString());
        Random random = new Random(12);
        String[] hostile = {"arg " + evil, "arg " + dir.resolve("shared/../shared/evil"), "env LD_PRELOAD=" + evil, "until 1", "until 9999999999999",
            "credentials /etc/passwd", "coder-ssh-plan-end", "argc 9", "", "\u0000", "arg " + evil + "\r",
            "credentials " + home.resolve("credentials/../../evil")};
        int cli = 0;
        int jvm = 0;
        for (int i = 0; i < 60; i++) {
            List<String> lines = new ArrayList<>(good);
            for (int m = 0; m <= random.nextInt(3); m++) {
                int at = random.nextInt(lines.size());
                switch (random.nextInt(5)) {
                    case 0 -> lines.remove(at);
                    case 1 -> lines.add(at, lines.get(random.nextInt(lines.size())));
                    case 2 -> lines.set(at, hostile[random.nextInt(hostile.length)]);
                    case 3 -> lines.add(at, hostile[random.nextInt(hostile.length)]);
                    default -> {
                        byte[] b = new byte[1 + random.nextInt(8)];
                        random.nextBytes(b);
                        lines.set(at, lines.get(at) + new String(b, StandardCharsets.ISO_8859_1));
                    }
                }
            }
            write(entry, lines);
            Files.deleteIfExists(dir.resolve("ran-cli"));
            Files.deleteIfExists(dir.resolve("ran-jvm"));
            int status = launch();
            assertThat(dir.resolve("pwned")).as("mutation %d: %s", i, lines).doesNotExist();
            if (Files.exists(dir.resolve("ran-cli"))) {
                cli++;
                assertThat(status).isZero();
                assertThat(lines).as("ran from %s", lines).contains("arg " + cli(), "coder-ssh-plan-end");
            } else {
                jvm++;
                assertThat(dir.resolve("ran-jvm")).as("mutation %d: neither ran: %s", i, lines).exists();
                assertThat(status).isEqualTo(3);
            }
        }
        // Both outcomes occurred: the property was tested on both sides.
        assertThat(cli).isPositive();
        assertThat(jvm).isPositive();
    }

    private String cli() {
        return cli.toString();
    }
}
