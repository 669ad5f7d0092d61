package dev.coderssh.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.ExitCode;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.home.CoderSshHome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;

/** Whatever is in a credentials file, loading gives credentials, nothing, or AUTH_REQUIRED: never a crash. */
class CredentialStoreFuzzTest {
    static final DeploymentUrl URL = DeploymentUrl.parse("https://coder.example.com");
    final Path root;
    final CredentialStore store;

    CredentialStoreFuzzTest() throws Exception {
        Path tmp = Files.createTempDirectory("store-fuzz");
        root = tmp.resolve("home");
        Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        store = new CredentialStore(new CoderSshHome(root), new PrintStream(new ByteArrayOutputStream()), Clock.systemUTC());
    }

    @AfterProperty
    void cleanUp() throws Exception {
        try (var walk = Files.walk(root.getParent())) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Property(tries = 1500)
    void anyFileContentLoadsOrAsksForALogin(@ForAll("documents") String content) throws Exception {
        Path file = store.credentialsFile(URL);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        try {
            Credentials c = store.load(URL);
            if (c != null && c.isOAuth()) {
                assertThat(c.expiresAt()).isNotNull();
            }
        } catch (CoderSshException e) {
            assertThat(e.exitCode()).isIn(ExitCode.AUTH_REQUIRED, ExitCode.FAILURE);
            assertThat(e.getMessage()).doesNotContain("\n");
        } finally {
            try (var s = Files.list(file.getParent())) {
                s.forEach(p -> p.toFile().delete());
            }
        }
    }

    @Provide
    Arbitrary<String> documents() {
        String valid = "{\"schema\": 1, \"url\": \"https://coder.example.com\", \"kind\": \"oauth\", \"access_token\": \"a\","
                + " \"refresh_token\": \"r\", \"issued_at_ms\": 1, \"expires_at_ms\": 2, \"scope\": \"s\","
                + " \"client_id\": \"c\", \"token_endpoint\": \"https://coder.example.com/oauth2/tokens\", \"expired\": false}";
        Arbitrary<String> values = Arbitraries.of("null", "1", "-1", "1e400", "9223372036854775807", "-9223372036854775808",
                "\"\"", "\"x\"", "[]", "{}", "true", "2.5", "\"session-token\"", "\"oauth\"");
        Arbitrary<String> fields = Arbitraries.of("schema", "url", "kind", "access_token", "refresh_token", "issued_at_ms",
                "expires_at_ms", "client_id", "token_endpoint", "expired", "scope");
        Arbitrary<String> mutated = net.jqwik.api.Combinators.combine(fields, values).as((f, v) ->
                valid.replaceFirst("\"" + f + "\": [^,}]+", "\"" + f + "\": " + v));
        Arbitrary<String> truncated = Arbitraries.integers().between(0, valid.length()).map(n -> valid.substring(0, n));
        return Arbitraries.oneOf(mutated, truncated, Arbitraries.strings().ofMaxLength(80), Arbitraries.just(valid));
    }
}
