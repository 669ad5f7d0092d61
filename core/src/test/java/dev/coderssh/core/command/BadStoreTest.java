package dev.coderssh.core.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.store.Credentials;
import dev.coderssh.core.testing.Cli;
import dev.coderssh.core.testing.FakeCoder;
import dev.coderssh.core.testing.MutableClock;
import dev.coderssh.core.testing.Seed;
import dev.coderssh.core.testing.TestHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged or hostile state root, seen through the commands as a user would: one line and the
 * documented exit code (Cli fails the test on any untyped exception, i.e. a stack trace), and the
 * safe action: the bad file moved aside and "sign in again", or a refusal that touches nothing.
 */
class BadStoreTest {
    static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    @TempDir
    Path tmp;
    MockWebServer server;
    TestHome home;
    DeploymentUrl url;
    Credentials signedIn;
    Path file;

    @BeforeEach
    void setUp() throws Exception {
        FakeCoder fake = new FakeCoder();
        server = new MockWebServer();
        server.setDispatcher(fake);
        server.start();
        home = new TestHome(tmp, new MutableClock(T0));
        url = Seed.url(server);
        signedIn = Seed.signIn(fake, server, home.services().store(), T0, Duration.ofHours(24));
        file = home.services().store().credentialsFile(url);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    int token() {
        return Cli.run(new TokenCommand("test"), home.console(), url.toString());
    }

    @Test
    void truncatedFileIsMovedAsideAndAsksForALogin() throws Exception {
        byte[] full = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(full, full.length / 3));
        assertThat(token()).isEqualTo(3);
        assertThat(home.out()).isEmpty();
        assertThat(home.err().strip()).doesNotContain("\n").contains("unreadable").contains("moved aside")
                .endsWith("run `coder-ssh login " + url + "`").doesNotContain(signedIn.refreshToken());
        try (var s = Files.list(file.getParent())) {
            assertThat(s).singleElement().satisfies(p -> assertThat(p.getFileName().toString()).contains(".corrupt-"));
        }
        // Afterwards it is plainly "not logged in", not the same error again.
        home.err.reset();
        assertThat(Cli.run(new StatusCommand("test"), home.console(), url.toString())).isEqualTo(3);
        assertThat(home.err()).contains("not logged in");
    }

    @Test
    void newerSchemaIsKeptAsideNotOverwritten() throws Exception {
        String newer = Files.readString(file).replace("\"schema\": 1", "\"schema\": 7");
        Files.writeString(file, newer);
        assertThat(token()).isEqualTo(3);
        assertThat(home.err()).contains("unknown schema version 7");
        try (var s = Files.list(file.getParent())) {
            Path aside = s.findFirst().orElseThrow();
            assertThat(Files.readString(aside)).as("the newer file is kept byte for byte").isEqualTo(newer);
        }
    }

    @Test
    void symlinkedCredentialsAreRefusedAndTheTargetUntouched() throws Exception {
        Path target = tmp.resolve("someone-elses.json");
        Files.move(file, target);
        Files.createSymbolicLink(file, target);
        String before = Files.readString(target);
        assertThat(token()).isEqualTo(1);
        assertThat(home.err().strip()).doesNotContain("\n").contains("symbolic link");
        assertThat(Files.readString(target)).isEqualTo(before);
        assertThat(Files.isSymbolicLink(file)).isTrue();
    }

    @Test
    void homeWritableByOthersIsRefused() throws Exception {
        Files.setPosixFilePermissions(home.root, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(token()).isEqualTo(1);
        assertThat(home.err().strip()).doesNotContain("\n").contains("writable by other users").contains("chmod 700");
        assertThat(home.out()).isEmpty();
        Files.setPosixFilePermissions(home.root, PosixFilePermissions.fromString("rwx------"));
        assertThat(token()).isZero();
    }

    @Test
    void aHugeCredentialsFileIsCorruptNotAnOutOfMemoryError() throws Exception {
        // 60 MB of garbage: read up to the cap only, then moved aside like any corrupt file.
        try (var out = Files.newOutputStream(file)) {
            byte[] chunk = new byte[1024 * 1024];
            java.util.Arrays.fill(chunk, (byte) '{');
            for (int i = 0; i < 60; i++) {
                out.write(chunk);
            }
        }
        assertThat(token()).isEqualTo(3);
        assertThat(home.err().strip()).doesNotContain("\n").contains("unreadable").contains("larger than")
                .doesNotContain("Error").doesNotContain("Exception");
        try (var s = Files.list(file.getParent())) {
            assertThat(s).singleElement().satisfies(p -> assertThat(Files.size(p)).isEqualTo(60L * 1024 * 1024));
        }
    }
}
