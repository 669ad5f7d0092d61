package dev.coderssh.proxy.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The class-data archive is an optimisation, so it never costs a connection (issue 12, invariant
 * 3): with a cache that cannot take the archive the connection still goes through, and a failed
 * dump is remembered rather than retried per connection. The JVM is the real one.
 */
class LauncherCdsFailureTest {
    static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    @TempDir
    static Path shared;
    static Path jar;
    @TempDir
    Path dir;
    Path home;
    Path cache;
    boolean mounted;

    @BeforeAll
    static void buildJar() throws IOException {
        jar = FakeJar.build(shared);
    }

    @BeforeEach
    void plan() throws IOException {
        home = dir.resolve("home");
        cache = home.resolve("cache");
        Files.createDirectories(cache, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path cli = dir.resolve("cli");
        Files.writeString(cli, "#!/bin/sh\nexit 7\n");
        assertThat(cli.toFile().setExecutable(true)).isTrue();
        Files.writeString(dir.resolve("plan"), "coder-ssh-plan-1\narg " + cli + "\ncoder-ssh-plan-end\n");
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            assertThat(new ProcessBuilder("umount", cache.toString()).start().waitFor()).isZero();
        }
        cache.toFile().setWritable(true, true);
    }

    /** A proxy run through the launcher with CDS on; java is {@code javaHome}'s. */
    private int connect(Path javaHome) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(LauncherTest.LAUNCHER.toString(), "proxy", "coder.ws");
        pb.environment().put("JAVA_HOME", javaHome.toString());
        pb.environment().put("CODER_SSH_JAR", jar.toString());
        pb.environment().put("CODER_SSH_HOME", home.toString());
        pb.environment().put("CODER_SSH_PLAN_CACHE", "0");
        pb.environment().remove("CODER_SSH_CDS");
        pb.environment().put("FAKE_PLAN", dir.resolve("plan").toString());
        pb.redirectOutput(dir.resolve("stdout").toFile()).redirectError(dir.resolve("stderr").toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        int status = p.waitFor();
        assertThat(Files.readString(dir.resolve("stdout"))).as("the SSH stream").isEmpty();
        return status;
    }

    private List<Path> cacheFiles() throws IOException {
        try (Stream<Path> s = Files.list(cache)) {
            return s.toList();
        }
    }

    @Test
    void aCacheThatCannotTakeTheArchiveStillConnects() throws Exception {
        if (PlanCacheTrustTest.ROOT) {
            // Root writes through any mode: a file system that is really almost full instead.
            Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", cache.toString())
                    .redirectErrorStream(true).start();
            mounted = mount.waitFor() == 0;
            assertThat(mounted).as("mount a 64 KiB tmpfs (CI runs as root): %s",
                    new String(mount.getInputStream().readAllBytes())).isTrue();
        } else {
            assertThat(cache.toFile().setWritable(false, false)).isTrue();
        }
        assertThat(connect(JAVA.getParent().getParent())).as(Files.readString(dir.resolve("stderr"))).isEqualTo(7);
        assertThat(connect(JAVA.getParent().getParent())).isEqualTo(7);
        assertThat(cacheFiles()).noneMatch(p -> p.toString().endsWith(".tmp"));
    }

    /**
     * A dump that fails at exit (the JVM then exits 1 after the proxy did its work): steered by a
     * java wrapper to a place it cannot be written ("missing"), or replaced by a torn file
     * ("torn", as a disk filling up mid-write leaves). The connection goes through, no archive is
     * installed, and the next connection does not try again.
     */
    @ParameterizedTest
    @ValueSource(strings = {"missing", "torn"})
    void aFailedDumpCostsSpeedOnceAndIsNotRetried(String how) throws Exception {
        Path jdk = dir.resolve("jdk");
        Path wrapper = jdk.resolve("bin/java");
        Files.createDirectories(wrapper.getParent());
        Path dumps = dir.resolve("dumps");
        Files.writeString(wrapper, String.join("\n", "#!/bin/sh",
                "torn=",
                "for a do shift; case $a in",
                "  -XX:ArchiveClassesAtExit=*) echo dump >> '" + dumps + "'; torn=${a#*=}"
                        + ("missing".equals(how) ? "; set -- \"$@\" -XX:ArchiveClassesAtExit=/nonexistent/x.jsa" : "") + " ;;",
                "  *) set -- \"$@\" \"$a\" ;;",
                "esac; done",
                "'" + JAVA + "' \"$@\"; rc=$?",
                "[ -z \"$torn\" ] && exit $rc",
                "missing".equals(how) ? "exit $rc" : "head -c 200000 /dev/urandom > \"$torn\"; exit 1",
                ""));
        assertThat(wrapper.toFile().setExecutable(true)).isTrue();

        assertThat(connect(jdk)).as(Files.readString(dir.resolve("stderr"))).isEqualTo(7);
        // The connection worked: the JVM's own words about the failed dump are not shown (issue 19).
        assertThat(Files.readString(dir.resolve("stderr"))).doesNotContain("Error occurred", "shared archive");
        assertThat(Files.readAllLines(dumps)).hasSize(1);
        assertThat(cache.resolve("cds-failed")).exists();
        assertThat(cacheFiles()).noneMatch(p -> p.getFileName().toString().endsWith(".jsa") || p.toString().endsWith(".tmp"));

        assertThat(connect(jdk)).isEqualTo(7);
        assertThat(Files.readAllLines(dumps)).as("dump attempts").hasSize(1);
    }
}
