package dev.coderssh.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.home.CoderSshHome;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written by main at 78531d9, the last version with the hand-written JSON writer (the
 * fixtures under test resources, made by its CredentialStore.save and saveClient): they load
 * unchanged under Jackson, and saving them again writes the same bytes, so neither an upgrade nor
 * a downgrade loses a sign-in.
 */
class WrittenByMainFixtureTest {
    static final DeploymentUrl URL = DeploymentUrl.parse("https://coder.example.com");
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    @TempDir
    Path tmp;
    CredentialStore store;

    @BeforeEach
    void setUp() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("home"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        store = new CredentialStore(new CoderSshHome(root), new PrintStream(new ByteArrayOutputStream(), true),
                Clock.fixed(Instant.ofEpochMilli(1234), ZoneOffset.UTC));
        place("credentials.json", store.credentialsFile(URL));
        place("client.json", store.clientFile(URL));
    }

    private static byte[] fixture(String name) throws Exception {
        try (InputStream in = WrittenByMainFixtureTest.class.getResourceAsStream("/fixtures/written-by-main-78531d9/" + name)) {
            return in.readAllBytes();
        }
    }

    private static void place(String name, Path target) throws Exception {
        Files.createDirectories(target.getParent(),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.write(target, fixture(name));
        Files.setPosixFilePermissions(target, OWNER_ONLY);
    }

    @Test
    void aSignInWrittenByTheHandWrittenWriterLoadsAndSavesBackByteForByte() throws Exception {
        Credentials c = store.load(URL);
        assertThat(c.accessToken()).isEqualTo("AT-fixture-\"quoted\"\n\u2028\u00e9");
        assertThat(c.refreshToken()).isEqualTo("coder_refresh_fixture");
        assertThat(c.issuedAt()).isEqualTo(Instant.ofEpochSecond(1764547200));
        assertThat(c.expiresAt()).isEqualTo(Instant.ofEpochSecond(1764550800));
        assertThat(c.scope()).isEqualTo("coder:workspaces.access user:read");
        assertThat(c.username()).isEqualTo("alice");
        assertThat(c.clientId()).isEqualTo("client-1");
        assertThat(c.tokenEndpoint()).isEqualTo("https://coder.example.com/oauth2/tokens");
        assertThat(c.revocationEndpoint()).isEqualTo("https://coder.example.com/oauth2/revoke");
        assertThat(c.expired()).isFalse();

        store.save(c);
        assertThat(Files.readAllBytes(store.credentialsFile(URL))).isEqualTo(fixture("credentials.json"));
    }

    @Test
    void aClientRegistrationWrittenByTheHandWrittenWriterLoadsAndSavesBackByteForByte() throws Exception {
        ClientRegistration r = store.loadClient(URL);
        assertThat(r).isEqualTo(new ClientRegistration(URL.toString(), ClientRegistration.DCR, "client-1", "secret-fixture",
                "client_secret_basic", "reg-token-fixture", "https://coder.example.com/oauth2/clients/client-1",
                "coder:workspaces.access user:read", "http://127.0.0.1/callback"));

        store.saveClient(URL, r);
        assertThat(Files.readAllBytes(store.clientFile(URL))).isEqualTo(fixture("client.json"));
    }
}
