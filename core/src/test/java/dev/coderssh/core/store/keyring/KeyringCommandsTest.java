package dev.coderssh.core.store.keyring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.ExitCode;
import dev.coderssh.core.command.LoginCommand;
import dev.coderssh.core.command.LogoutCommand;
import dev.coderssh.core.command.StatusCommand;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.json.Json;
import dev.coderssh.core.login.Browser;
import dev.coderssh.core.testing.FakeCoder;
import dev.coderssh.core.testing.MutableClock;
import dev.coderssh.core.testing.Seed;
import dev.coderssh.core.testing.TestHome;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code login --store}, {@code status} and {@code logout} with the stand-in Secret Service. */
class KeyringCommandsTest {
    @TempDir
    Path tmp;
    MockWebServer server;
    FakeCoder fake;
    TestHome home;
    Path fakeKeyring;
    DeploymentUrl url;

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeCoder();
        server = new MockWebServer();
        server.setDispatcher(fake);
        server.start();
        url = Seed.url(server);
        home = new TestHome(tmp, new MutableClock(Instant.parse("2026-11-01T10:00:00Z")));
        fakeKeyring = tmp.resolve("keyring");
        home.env.put("PATH", KeyringFakes.working(fakeKeyring) + ":/usr/bin:/bin");
        home.env.put(Keyrings.TIMEOUT_ENV, "10s");
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    int login(String token, String... extra) throws Exception {
        fake.addSessionToken(token);
        home.in = new ByteArrayInputStream((token + "\n").getBytes(StandardCharsets.UTF_8));
        List<String> argv = new java.util.ArrayList<>(List.of(url.toString(), "--token-stdin"));
        argv.addAll(List.of(extra));
        Function<dev.coderssh.core.cli.Console, Browser> noBrowser = c -> u -> {
            throw new IOException("no browser in this test");
        };
        BooleanSupplier notATerminal = () -> false;
        return new LoginCommand("test", noBrowser, notATerminal).run(argv, home.console());
    }

    List<String> vault() throws IOException {
        try (Stream<Path> s = Files.list(fakeKeyring.resolve("vault"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    String credentialsFile() throws IOException {
        return Files.readString(home.root.resolve("credentials").resolve(url.fileKey() + ".json"));
    }

    @Test
    void loginStoreKeyringIsRememberedStatusSaysWhereAndLogoutDeletesTheEntries() throws Exception {
        assertThat(login("session-token-aaa111", "--store", "keyring")).isZero();
        assertThat(home.err()).contains("Tokens stored in keyring (Secret Service).");
        assertThat(credentialsFile()).doesNotContain("session-token-aaa111").contains("\"store\": \"keyring\"");
        assertThat(vault()).singleElement().asString().endsWith("-access");

        // Remembered per deployment: the next login without --store goes to the keyring again.
        assertThat(login("session-token-bbb222")).isZero();
        assertThat(credentialsFile()).doesNotContain("session-token-bbb222").contains("\"store\": \"keyring\"");
        assertThat(Files.readString(fakeKeyring.resolve("vault").resolve(vault().get(0)))).isEqualTo("session-token-bbb222");

        int callsBefore = KeyringFakes.calls(fakeKeyring).size();
        home.out.reset();
        assertThat(new StatusCommand("test").run(List.of(url.toString(), "--json"), home.console())).isZero();
        Map<String, Object> status = Json.parseObject(home.out());
        assertThat(status.get("store")).isEqualTo("keyring (Secret Service)");
        home.out.reset();
        assertThat(new StatusCommand("test").run(List.of(), home.console())).isZero();
        assertThat(home.out()).contains("  stored:   keyring (Secret Service)\n").doesNotContain("session-token");
        assertThat(KeyringFakes.calls(fakeKeyring)).hasSize(callsBefore); // status reads no secret

        assertThat(new LogoutCommand("test").run(List.of(url.toString()), home.console())).isZero();
        assertThat(vault()).isEmpty();
        assertThat(home.root.resolve("credentials").resolve(url.fileKey() + ".json")).doesNotExist();
        assertThat(home.err()).doesNotContain("session-token-aaa111").doesNotContain("session-token-bbb222");
    }

    @Test
    void statusShowsTheFileForFileSignIns() throws Exception {
        assertThat(login("session-token-ccc333")).isZero();
        assertThat(home.err()).contains("Tokens stored in " + home.root.resolve("credentials").resolve(url.fileKey() + ".json"));
        home.out.reset();
        new StatusCommand("test").run(List.of(url.toString(), "--json"), home.console());
        assertThat(Json.parseObject(home.out()).get("store"))
                .isEqualTo(home.root.resolve("credentials").resolve(url.fileKey() + ".json").toString());
        assertThat(KeyringFakes.calls(fakeKeyring)).isEmpty();
    }

    @Test
    void anUnknownStoreIsAUsageError() {
        assertThatThrownBy(() -> login("session-token-ddd444", "--store", "vault"))
                .isInstanceOfSatisfying(CoderSshException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessage("--store must be `file` or `keyring`");
    }

    @Test
    void logoutWhileTheKeyringDoesNotAnswerStillDeletesLocallyAndSaysSo() throws Exception {
        assertThat(login("session-token-eee555", "--store", "keyring")).isZero();
        home.env.put("PATH", KeyringFakes.hung(tmp.resolve("hung")) + ":/usr/bin:/bin");
        home.env.put(Keyrings.TIMEOUT_ENV, "500ms");
        home.err.reset();
        assertThat(new LogoutCommand("test").run(List.of(url.toString()), home.console())).isZero();
        assertThat(home.root.resolve("credentials").resolve(url.fileKey() + ".json")).doesNotExist();
        assertThat(home.err()).contains("did not answer within 500ms")
                .contains("Deleted the local sign-in for " + url + " without telling the server.")
                .contains("the tokens were not deleted from it: delete the entries labelled \"coder-ssh ... token for " + url
                        + "\" in your keyring by hand")
                .doesNotContain("Not signed in");
        KeyringStoreTest.assertKilled(tmp.resolve("hung").resolve("pids"));
    }
}
