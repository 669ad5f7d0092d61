package dev.coderssh.proxy.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.testing.LauncherFlags;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real shaded jar through the real launcher, class-data sharing on: stdout stays empty whether
 * the archive is being created, used, stale or corrupt, and a stale archive is rebuilt.
 */
class LauncherJarIT {
    static final Path JAR = Path.of("target", "coder-ssh.jar").toAbsolutePath();
    @TempDir
    Path dir;
    Path jar;

    @BeforeEach
    void copyJar() throws Exception {
        // A private copy: the test changes its mtime.
        jar = Files.copy(JAR, dir.resolve("coder-ssh.jar"));
    }

    record Result(int status, byte[] stdout, String stderr) {
    }

    private Result launch(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(LauncherTest.LAUNCHER.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("CODER_SSH_JAR", jar.toString());
        pb.environment().put("CODER_SSH_HOME", dir.resolve("home").toString());
        pb.environment().remove("CODER_SSH_CDS");
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.redirectOutput(dir.resolve("stdout").toFile());
        pb.redirectError(dir.resolve("stderr").toFile());
        int rc = pb.start().waitFor();
        return new Result(rc, Files.readAllBytes(dir.resolve("stdout")), Files.readString(dir.resolve("stderr")));
    }

    private Path archive() throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("home/cache"))) {
            // (Besides plans/, the plan cache: empty here, since a signed-out proxy leaves no plan.)
            List<Path> all = s.filter(p -> !p.getFileName().toString().equals("plans")).toList();
            assertThat(all).hasSize(1);
            return all.get(0);
        }
    }

    /** The class+load log lines for {@code names}, loaded by a JVM that maps {@code archive}. */
    private List<String> sourcesOf(Path archive, String... names) throws Exception {
        Path log = dir.resolve("classes.log");
        // The launcher's own flags, so the archive is mapped as it maps it.
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(LauncherFlags.common());
        cmd.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info:file=" + log,
                "-cp", jar + java.io.File.pathSeparator + Path.of("target", "test-classes").toAbsolutePath(),
                CdsProbe.class.getName()));
        cmd.addAll(List.of(names));
        assertThat(new ProcessBuilder(cmd).inheritIO().start().waitFor()).isZero();
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            for (String name : names) {
                if (line.contains(" " + name + " source: ")) {
                    lines.add(line);
                }
            }
        }
        assertThat(lines).hasSize(names.length);
        return lines;
    }

    private static final String[] PROXY = {"proxy", "--url", "https://coder.example.com", "--coder-binary", "/bin/true",
        "coder.ws"};

    @Test
    void signedOutProxyExits3WithOneLineAndZeroBytesOnStdoutThroughEveryArchiveState() throws Exception {
        Result first = launch(PROXY);
        assertThat(first.status()).isEqualTo(3);
        assertThat(first.stdout()).isEmpty();
        try (Stream<Path> plans = Files.list(dir.resolve("home/cache/plans"))) {
            assertThat(plans).as("no plan, and the launcher's lock is gone").isEmpty();
        }
        assertThat(first.stderr()).isEqualTo("coder-ssh proxy: not logged in to https://coder.example.com: "
                + "run `coder-ssh login https://coder.example.com`\n");
        Path archive = archive();
        assertThat(archive.getFileName().toString()).endsWith(".jsa");
        FileTime made = Files.getLastModifiedTime(archive);
        // That run was signed out, yet the archive serves the refresh and API paths too: the
        // recording run exercised them offline (CdsTraining), quietly, as the stderr above shows.
        assertThat(sourcesOf(archive, "dev.coderssh.core.oauth.OAuthClient", "dev.coderssh.core.http.JdkHttpTransport",
                "dev.coderssh.core.store.LockManager", "sun.net.www.protocol.http.HttpURLConnection"))
                .allMatch(l -> l.contains("source: shared objects file"));

        Result second = launch(PROXY);
        assertThat(second.status()).isEqualTo(3);
        assertThat(second.stdout()).isEmpty();
        assertThat(Files.getLastModifiedTime(archive)).isEqualTo(made);

        // A new jar: the archive is stale and must be rebuilt, not trusted.
        Files.setLastModifiedTime(jar, FileTime.fromMillis(made.toMillis() + 10_000));
        Result third = launch(PROXY);
        assertThat(third.status()).isEqualTo(3);
        assertThat(third.stdout()).isEmpty();
        assertThat(Files.getLastModifiedTime(archive())).isNotEqualTo(made);

        // A corrupt archive that looks current: the JVM refuses it (on stderr at most), never stdout.
        Files.write(archive(), "garbage".getBytes(StandardCharsets.US_ASCII));
        Result fourth = launch(PROXY);
        assertThat(fourth.status()).isEqualTo(3);
        assertThat(fourth.stdout()).isEmpty();
    }

    @Test
    void otherCommandsStillPrintOnStdout() throws Exception {
        Result r = launch("--version");
        assertThat(r.status()).isZero();
        assertThat(new String(r.stdout(), StandardCharsets.UTF_8)).startsWith("coder-ssh ");
    }
}
