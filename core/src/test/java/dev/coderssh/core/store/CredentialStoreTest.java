package dev.coderssh.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.ExitCode;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.home.CoderSshHome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialStoreTest {
    static final DeploymentUrl URL = DeploymentUrl.parse("https://coder.example.com");
    @TempDir
    Path tmp;
    Path root;
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    CredentialStore store;

    @BeforeEach
    void setUp() throws Exception {
        root = tmp.resolve("home");
        Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        store = new CredentialStore(new CoderSshHome(root), new PrintStream(warnings, true),
                Clock.fixed(Instant.ofEpochMilli(1234), ZoneOffset.UTC));
    }

    static Credentials creds() {
        return new Credentials(URL.toString(), Credentials.OAUTH, "AT-secret-\"quoted\"\n", "coder_refresh_secret",
                Instant.ofEpochSecond(1000), Instant.ofEpochSecond(2000), "a b", "alice", "client-1",
                URL.resolve("/oauth2/tokens"), URL.resolve("/oauth2/revoke"), false);
    }

    @Test
    void roundTripsWithOwnerOnlyPermissions() throws Exception {
        store.save(creds());
        assertThat(store.load(URL)).isEqualTo(creds());
        Path file = store.credentialsFile(URL);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(Files.readString(file)).contains("\"schema\": 1");
        try (Stream<Path> s = Files.list(file.getParent())) {
            assertThat(s).hasSize(1); // no temp files left
        }
    }

    @Test
    void everyChangeToASignInDropsThePlanCachesCopiesOfTokens() throws Exception {
        Path plans = new CoderSshHome(root).plans();
        store.save(creds());
        for (Runnable change : new Runnable[] {() -> store.save(creds().markExpired()), () -> store.delete(URL)}) {
            Files.createDirectories(plans);
            Files.writeString(plans.resolve("p_proxy a"), "a copy of AT-secret");
            Files.writeString(plans.resolve("p_proxy b"), "another");
            change.run();
            try (var left = Files.list(plans)) {
                assertThat(left).isEmpty();
            }
        }
        // No cache directory at all is the usual case, and fine.
        Files.delete(plans);
        store.save(creds());
        assertThat(warnings.toString()).isEmpty();
    }

    @Test
    void secretsAreNotInToString() {
        assertThat(creds().toString()).doesNotContain("AT-secret").doesNotContain("coder_refresh_secret");
        ClientRegistration r = new ClientRegistration(URL.toString(), ClientRegistration.DCR, "id", "client-secret-x",
                "client_secret_basic", "reg-token-x", "https://x/oauth2/clients/id", "");
        assertThat(r.toString()).doesNotContain("client-secret-x").doesNotContain("reg-token-x");
    }

    @Test
    void missingIsNull() {
        assertThat(store.load(URL)).isNull();
    }

    @Test
    void corruptFileIsMovedAsideWithOneLine() throws Exception {
        store.save(creds());
        Path file = store.credentialsFile(URL);
        byte[] full = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(full, full.length / 2));
        assertThatThrownBy(() -> store.load(URL))
                .isInstanceOfSatisfying(CoderSshException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.AUTH_REQUIRED))
                .hasMessageContaining("unreadable")
                .hasMessageContaining("moved aside to " + file.getFileName() + ".corrupt-1234")
                .hasMessageEndingWith("run `coder-ssh login https://coder.example.com`")
                .hasMessageNotContaining("AT-secret");
        assertThat(Files.exists(file)).isFalse();
        assertThat(Files.exists(file.resolveSibling(file.getFileName() + ".corrupt-1234"))).isTrue();
        assertThat(store.load(URL)).isNull();
    }

    @Test
    void unknownSchemaIsMovedAside() throws Exception {
        store.save(creds());
        Path file = store.credentialsFile(URL);
        Files.writeString(file, Files.readString(file).replace("\"schema\": 1", "\"schema\": 2"));
        assertThatThrownBy(() -> store.load(URL)).hasMessageContaining("unknown schema version 2");
    }

    @Test
    void missingFieldsAreMovedAside() throws Exception {
        store.save(creds());
        Path file = store.credentialsFile(URL);
        Files.writeString(file, "{\"schema\": 1, \"url\": \"https://coder.example.com\", \"kind\": \"oauth\"}");
        assertThatThrownBy(() -> store.load(URL)).hasMessageContaining("unreadable");
    }

    @Test
    void symlinkIsRefused() throws Exception {
        Path other = tmp.resolve("elsewhere.json");
        Files.writeString(other, "{}");
        Files.createDirectories(store.credentialsFile(URL).getParent());
        Files.createSymbolicLink(store.credentialsFile(URL), other);
        assertThatThrownBy(() -> store.load(URL)).hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> store.save(creds())).hasMessageContaining("symbolic link");
        assertThat(Files.readString(other)).isEqualTo("{}");
    }

    @Test
    void homeWritableByOthersIsRefused() throws Exception {
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> store.load(URL))
                .isInstanceOfSatisfying(CoderSshException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.FAILURE))
                .hasMessageContaining("writable by other users");
    }

    @Test
    void fileReadableByOthersIsRepairedWithAWarning() throws Exception {
        store.save(creds());
        Path file = store.credentialsFile(URL);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(store.load(URL)).isEqualTo(creds());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(warnings.toString()).contains("readable by other users");
    }

    @Test
    void clientRegistrationIsKeptApart() {
        ClientRegistration r = new ClientRegistration(URL.toString(), ClientRegistration.DCR, "id", null, "none",
                "reg", "https://coder.example.com/oauth2/clients/id", "s");
        store.saveClient(URL, r);
        store.save(creds());
        assertThat(store.delete(URL)).isTrue();
        assertThat(store.loadClient(URL)).isEqualTo(r);
        assertThat(store.deleteClient(URL)).isTrue();
        assertThat(store.loadClient(URL)).isNull();
    }
}
