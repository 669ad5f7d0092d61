package dev.coderssh.core.store.keyring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.CoreServices;
import dev.coderssh.core.ExitCode;
import dev.coderssh.core.command.TokenCommand;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.store.ClientRegistration;
import dev.coderssh.core.store.Credentials;
import dev.coderssh.core.testing.MutableClock;
import dev.coderssh.core.testing.TestHome;
import java.nio.charset.StandardCharsets;
import dev.coderssh.core.token.AccessToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --store keyring} through the real wiring ({@link CoreServices} from the console's
 * environment) against stand-in {@code secret-tool} scripts: where the tokens land, the loud
 * fallback when no keyring answers, the timeout that kills a hung tool, one clear line when a
 * keyring read fails. The real Secret Service is {@link SecretServiceKeyringTest}.
 */
class KeyringStoreTest {
    static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    static final DeploymentUrl URL = DeploymentUrl.parse("https://coder.example.com");
    static final String ACCESS = "AT-recognisable-7f3a9c";
    static final String REFRESH = "coder_refresh_recognisable_b81e";
    @TempDir
    Path tmp;
    TestHome home;
    MutableClock clock;

    @BeforeEach
    void setUp() throws Exception {
        clock = new MutableClock(T0);
        home = new TestHome(tmp, clock);
        home.env.put("HOME", tmp.toString());
    }

    static Credentials creds() {
        return new Credentials(URL.toString(), Credentials.OAUTH, ACCESS, REFRESH, T0, T0.plusSeconds(86400),
                "coder:workspaces.access workspace:start", "alice", "client-1", URL.resolve("/oauth2/tokens"),
                URL.resolve("/oauth2/revoke"), false);
    }

    /** Services as a process with {@code path} as PATH and the given keyring timeout would build them. */
    CoreServices services(String path, String timeout) {
        home.env.put("PATH", path);
        home.env.put(Keyrings.TIMEOUT_ENV, timeout);
        return home.services();
    }

    String fileText() throws Exception {
        return Files.readString(home.root.resolve("credentials").resolve(URL.fileKey() + ".json"));
    }

    List<String> errLines() {
        List<String> out = new ArrayList<>();
        for (String l : home.err().split("\n")) {
            if (!l.isBlank()) {
                out.add(l);
            }
        }
        return out;
    }

    @Test
    void tokensInTheKeyringAreNotInTheFileAndComeBackOnLoad() throws Exception {
        Path fake = tmp.resolve("fake");
        Path bin = KeyringFakes.working(fake);
        CoreServices core = services(bin + ":/usr/bin:/bin", "10s");
        assertThat(core.store().placement().chooseForLogin(URL, "keyring")).isEqualTo(StoreChoice.KEYRING);
        core.store().save(creds());

        String file = fileText();
        assertThat(file).doesNotContain(ACCESS).doesNotContain(REFRESH).doesNotContain("access_token")
                .contains("\"store\": \"keyring\"").contains("\"keyring\": \"Secret Service\"")
                .contains("\"expires_at_ms\": " + T0.plusSeconds(86400).toEpochMilli()).contains("\"username\": \"alice\"")
                .contains("\"client_id\": \"client-1\"").contains("workspace:start");
        try (Stream<Path> s = Files.list(fake.resolve("vault"))) {
            assertThat(s.map(p -> readString(p))).containsExactlyInAnyOrder(ACCESS, REFRESH);
        }
        assertThat(KeyringFakes.calls(fake)).allMatch(l -> l.contains("service coder-ssh deployment " + URL + " kind "))
                .noneMatch(l -> l.contains(ACCESS) || l.contains(REFRESH));
        assertThat(home.err()).isEmpty();

        // Another process's fast path: freshness from the file, then one lookup, of the access token only.
        CoreServices next = services(bin + ":/usr/bin:/bin", "10s");
        int before = KeyringFakes.calls(fake).size();
        AccessToken fromKeyring = next.tokens().fresh(URL);
        assertThat(fromKeyring.value()).isEqualTo(ACCESS);
        assertThat(fromKeyring.reusableUntil()).as("a keyring-held token is never copied to the plan cache").isNull();
        assertThat(KeyringFakes.calls(fake).subList(before, KeyringFakes.calls(fake).size()))
                .containsExactly("lookup service coder-ssh deployment " + URL + " kind access");
        assertThat(next.store().load(URL)).isEqualTo(creds());
        assertThat(next.store().location(URL)).isEqualTo("keyring (Secret Service)");
    }

    @Test
    void loginStorageFallsBackLoudlyWhenSecretToolIsMissing() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty-bin"));
        CoreServices core = services(empty.toString(), "10s");
        core.store().placement().chooseForLogin(URL, "keyring");
        core.store().save(creds());

        assertThat(errLines()).singleElement().satisfies(l -> assertThat(l)
                .contains("the keyring (Secret Service) is not reachable: secret-tool is not on the PATH")
                .contains("the tokens for " + URL + " are stored in the file " + core.store().credentialsFile(URL) + " instead"));
        assertThat(fileText()).contains(ACCESS).contains(REFRESH).contains("\"store\": \"file\"");
        assertThat(core.store().load(URL)).isEqualTo(creds());
        assertThat(core.store().location(URL)).isEqualTo(core.store().credentialsFile(URL).toString());
    }

    @Test
    void loginStorageFallsBackLoudlyWithoutADbusSession() throws Exception {
        // The real secret-tool (libsecret-tools, installed by .ci/run), with no session bus to find.
        assertThat(Path.of("/usr/bin/secret-tool")).as("libsecret-tools must be installed").isExecutable();
        home.env.remove("DBUS_SESSION_BUS_ADDRESS");
        home.env.remove("DISPLAY");
        home.env.put("XDG_RUNTIME_DIR", Files.createDirectories(tmp.resolve("runtime")).toString());
        CoreServices core = services("/usr/bin:/bin", "10s");
        core.store().placement().chooseForLogin(URL, "keyring");
        core.store().save(creds());

        assertThat(errLines()).singleElement().satisfies(l -> assertThat(l)
                .startsWith("coder-ssh: warning: the keyring (Secret Service) refused `secret-tool store` (exit 1: secret-tool: ")
                .contains("are stored in the file").doesNotContain(ACCESS).doesNotContain(REFRESH));
        assertThat(core.store().load(URL)).isEqualTo(creds());
    }

    @Test
    void aHungKeyringIsKilledAtTheTimeoutAndLoginFallsBackWithTheTokenNeverInArgv() throws Exception {
        Path fake = tmp.resolve("hung");
        Path bin = KeyringFakes.hung(fake);
        CoreServices core = services(bin + ":/usr/bin:/bin", "1500ms");
        core.store().placement().chooseForLogin(URL, "keyring");
        CompletableFuture<Void> saving = CompletableFuture.runAsync(() -> core.store().save(creds()));

        // While secret-tool runs (it hangs until killed), no process shows the token in its argv.
        Path pids = fake.resolve("pids");
        while (!Files.exists(pids) && !saving.isDone()) {
            Thread.sleep(10);
        }
        assertThat(pids).exists();
        List<String> argv = allCmdlines();
        assertThat(argv).anyMatch(l -> l.contains("secret-tool store --label=coder-ssh refresh token for " + URL));
        assertThat(argv).noneMatch(l -> l.contains(ACCESS) || l.contains(REFRESH));

        saving.get(60, TimeUnit.SECONDS);
        assertThat(errLines()).singleElement().satisfies(l -> assertThat(l)
                .contains("the keyring (Secret Service) did not answer within 1500ms (secret-tool was stopped)")
                .contains("are stored in the file " + core.store().credentialsFile(URL) + " instead"));
        assertKilled(pids);
        assertThat(core.store().load(URL)).isEqualTo(creds());
    }

    @Test
    void aKeyringThatDoesNotAnswerOnReadIsOneClearLineNotAFallback() throws Exception {
        Path working = KeyringFakes.working(tmp.resolve("fake"));
        CoreServices core = services(working + ":/usr/bin:/bin", "10s");
        core.store().placement().chooseForLogin(URL, "keyring");
        core.store().save(creds());

        Path fake = tmp.resolve("hung");
        Path hung = KeyringFakes.hung(fake);
        services(hung + ":/usr/bin:/bin", "500ms");
        assertThatThrownBy(() -> new TokenCommand("test").run(List.of(URL.toString()), home.console()))
                .isInstanceOfSatisfying(CoderSshException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.FAILURE))
                .hasMessage("the keyring (Secret Service) did not answer within 500ms (secret-tool was stopped): cannot read"
                        + " the tokens for " + URL + " (they are kept there; metadata in "
                        + home.root.resolve("credentials").resolve(URL.fileKey() + ".json") + ")");
        assertKilled(fake.resolve("pids"));
        assertThat(home.out()).isEmpty();
        // Nothing was rewritten: the sign-in is still in the keyring once it answers again.
        assertThat(fileText()).doesNotContain(ACCESS).contains("\"store\": \"keyring\"");
        assertThat(services(working + ":/usr/bin:/bin", "10s").store().load(URL)).isEqualTo(creds());
    }

    @Test
    void aKeyringReadFailureIsOneLineToo() throws Exception {
        Path working = KeyringFakes.working(tmp.resolve("fake"));
        CoreServices core = services(working + ":/usr/bin:/bin", "10s");
        core.store().placement().chooseForLogin(URL, "keyring");
        core.store().save(creds());
        Path broken = KeyringFakes.broken(tmp.resolve("broken"));
        CoreServices down = services(broken + ":/usr/bin:/bin", "10s");
        assertThatThrownBy(() -> down.tokens().fresh(URL))
                .isInstanceOfSatisfying(CoderSshException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.FAILURE))
                .hasMessageStartingWith("the keyring (Secret Service) refused `secret-tool lookup` (exit 1: secret-tool: Cannot"
                        + " autolaunch D-Bus without X11 $DISPLAY): cannot read the tokens for " + URL)
                .hasMessageNotContaining("\n");
    }

    @Test
    void aMissingKeyringEntryMeansSignInAgain() throws Exception {
        Path fake = tmp.resolve("fake");
        Path bin = KeyringFakes.working(fake);
        CoreServices core = services(bin + ":/usr/bin:/bin", "10s");
        core.store().placement().chooseForLogin(URL, "keyring");
        core.store().save(creds());
        try (Stream<Path> s = Files.list(fake.resolve("vault"))) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        assertThatThrownBy(() -> services(bin + ":/usr/bin:/bin", "10s").store().load(URL))
                .isInstanceOfSatisfying(CoderSshException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.AUTH_REQUIRED))
                .hasMessage("the access token for " + URL + " is missing from the keyring (Secret Service): run `coder-ssh login "
                        + URL + "`");
    }

    @Test
    void switchingBackToTheFileDeletesTheKeyringEntries() throws Exception {
        Path fake = tmp.resolve("fake");
        Path bin = KeyringFakes.working(fake);
        CoreServices core = services(bin + ":/usr/bin:/bin", "10s");
        core.store().placement().chooseForLogin(URL, "keyring");
        core.store().save(creds());
        CoreServices again = services(bin + ":/usr/bin:/bin", "10s");
        again.store().placement().chooseForLogin(URL, "file");
        again.store().save(creds());
        assertThat(fileText()).contains(ACCESS).contains("\"store\": \"file\"");
        try (Stream<Path> s = Files.list(fake.resolve("vault"))) {
            assertThat(s).isEmpty();
        }
        // Remembered: the next login without --store uses the file too.
        assertThat(services(bin + ":/usr/bin:/bin", "10s").store().placement().chooseForLogin(URL, null))
                .isEqualTo(StoreChoice.FILE);
    }

    @Test
    void aConfidentialClientSecretFollowsTheTokensIntoTheKeyringAndOut() throws Exception {
        String secret = "dcr-secret-recognisable-51c0";
        String registration = "regtoken-recognisable-9d2e";
        ClientRegistration client = new ClientRegistration(URL.toString(), ClientRegistration.DCR, "client-1", secret,
                "client_secret_basic", registration, URL.resolve("/oauth2/clients/client-1"), "user:read",
                "http://127.0.0.1:50123/callback");
        Path fake = tmp.resolve("fake");
        Path bin = KeyringFakes.working(fake);
        CoreServices core = services(bin + ":/usr/bin:/bin", "10s");
        core.store().placement().chooseForLogin(URL, "keyring");
        core.store().saveClient(URL, client);
        Path file = core.store().clientFile(URL);
        assertThat(Files.readString(file)).doesNotContain(secret).doesNotContain(registration)
                .contains("\"store\": \"keyring\"").contains("50123");
        try (Stream<Path> s = Files.list(fake.resolve("vault"))) {
            assertThat(s.map(p -> readString(p))).containsExactlyInAnyOrder(secret, registration);
        }
        assertThat(KeyringFakes.calls(fake)).noneMatch(l -> l.contains(secret) || l.contains(registration));
        // Another process (a refresh) reads it back whole.
        assertThat(services(bin + ":/usr/bin:/bin", "10s").store().loadClient(URL)).isEqualTo(client);

        CoreServices again = services(bin + ":/usr/bin:/bin", "10s");
        again.store().placement().chooseForLogin(URL, "file");
        again.store().saveClient(URL, client);
        assertThat(Files.readString(file)).contains(secret);
        try (Stream<Path> s = Files.list(fake.resolve("vault"))) {
            assertThat(s).isEmpty();
        }
        again.store().placement().chooseForLogin(URL, "keyring");
        again.store().saveClient(URL, client);
        assertThat(again.store().deleteClient(URL)).isTrue();
        try (Stream<Path> s = Files.list(fake.resolve("vault"))) {
            assertThat(s).isEmpty();
        }
    }

    static List<String> allCmdlines() throws Exception {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            for (Path p : s.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    out.add(new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' '));
                } catch (java.io.IOException e) {
                    // the process ended meanwhile
                }
            }
        }
        return out;
    }

    /** Both the hung tool and the sleep it started are gone (bounded wait, no timing asserted). */
    static void assertKilled(Path pids) throws Exception {
        String[] both = Files.readString(pids).strip().split(" ");
        assertThat(both).hasSize(2);
        for (String pid : both) {
            Optional<ProcessHandle> h = ProcessHandle.of(Long.parseLong(pid));
            if (h.isPresent()) {
                h.get().onExit().get(30, TimeUnit.SECONDS);
            }
            assertThat(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive)).as("pid " + pid).isNotEqualTo(Optional.of(true));
        }
    }

    private static String readString(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
