package dev.coderssh.core.store.keyring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.store.CredentialStore;
import dev.coderssh.core.store.Credentials;
import dev.coderssh.core.store.LockManager;
import dev.coderssh.core.testing.FakeCoder;
import dev.coderssh.core.testing.MutableClock;
import dev.coderssh.core.testing.Seed;
import dev.coderssh.core.testing.TestHome;
import dev.coderssh.core.token.AccessTokens;
import dev.coderssh.core.token.Tokens;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refresh with the tokens in the keyring, against the fake Coder server: the new pair reaches the
 * keyring before the file's metadata changes, and a keyring that fails mid-refresh never loses the
 * sign-in (the server already rotated the pair). The keyring is a Mockito stand-in for our own
 * {@link SecretStore}, backed by a map.
 */
class TokenPlacementTest {
    static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    @TempDir
    Path tmp;
    MockWebServer server;
    FakeCoder fake;
    MutableClock clock;
    TestHome home;
    Map<SecretKey, String> vault = new HashMap<>();
    List<String> events = new ArrayList<>();
    SecretStore keyring = mock(SecretStore.class);
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeCoder();
        server = new MockWebServer();
        server.setDispatcher(fake);
        server.start();
        clock = new MutableClock(T0);
        home = new TestHome(tmp, clock);
        when(keyring.name()).thenReturn("Test Keyring");
        when(keyring.get(any())).thenAnswer(i -> Optional.ofNullable(vault.get(i.getArgument(0))));
        doAnswer(i -> {
            SecretKey k = i.getArgument(0);
            events.add("put " + k.kind() + " while file expires_at_ms=" + fileExpiry(k.deployment()));
            vault.put(k, i.getArgument(1));
            return null;
        }).when(keyring).put(any(), anyString());
        doAnswer(i -> vault.remove(i.getArgument(0))).when(keyring).delete(any());
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    CredentialStore store() {
        PrintStream err = new PrintStream(warnings, true, StandardCharsets.UTF_8);
        return new CredentialStore(new dev.coderssh.core.home.CoderSshHome(home.root), err, clock,
                new TokenPlacement(new dev.coderssh.core.home.CoderSshHome(home.root), keyring, err));
    }

    AccessTokens tokens(CredentialStore store) {
        return Tokens.open(store, new LockManager(store.home(), System.err), clock, new java.util.function.Supplier<>() {
            @Override
            public dev.coderssh.core.oauth.OAuthClient get() {
                return new dev.coderssh.core.oauth.OAuthClient(dev.coderssh.core.http.HttpTransports.create(
                        dev.coderssh.core.http.HttpOptions.defaults(), "test", Map.of()), TestHome.NO_SLEEP,
                        new java.util.Random(1), clock);
            }
        });
    }

    String fileExpiry(String deployment) throws Exception {
        Path f = store().credentialsFile(DeploymentUrl.parse(deployment));
        if (!Files.exists(f)) {
            return "none";
        }
        String text = Files.readString(f);
        int i = text.indexOf("\"expires_at_ms\": ");
        return text.substring(i + 17, text.indexOf(',', i));
    }

    Credentials signInToKeyring() {
        CredentialStore s = store();
        s.placement().chooseForLogin(Seed.url(server), "keyring");
        return Seed.signIn(fake, server, s, T0, Duration.ofHours(24));
    }

    @Test
    void refreshPutsTheNewPairInTheKeyringBeforeTheFileMetadataChanges() throws Exception {
        Credentials c = signInToKeyring();
        long oldExpiry = T0.plusSeconds(86400).toEpochMilli();
        // The admin app's secret goes first (the client is saved before the sign-in), then the pair.
        assertThat(events).containsExactly("put client-secret while file expires_at_ms=none",
                "put refresh while file expires_at_ms=none", "put access while file expires_at_ms=none");
        events.clear();

        clock.advance(Duration.ofHours(23).plusMinutes(57));
        String fresh = tokens(store()).fresh(Seed.url(server)).value();

        assertThat(fresh).isNotEqualTo(c.accessToken());
        assertThat(events).containsExactly("put refresh while file expires_at_ms=" + oldExpiry,
                "put access while file expires_at_ms=" + oldExpiry);
        assertThat(fileExpiry(c.url())).isEqualTo(String.valueOf(clock.instant().plusSeconds(86400).toEpochMilli()));
        DeploymentUrl url = Seed.url(server);
        assertThat(vault.get(new SecretKey(url.toString(), SecretKey.ACCESS))).isEqualTo(fresh);
        assertThat(fake.refreshTokenLive(vault.get(new SecretKey(url.toString(), SecretKey.REFRESH)))).isTrue();
        assertThat(Files.readString(store().credentialsFile(url))).doesNotContain(fresh).doesNotContain(c.refreshToken());
        assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aKeyringFailingMidRefreshLeavesTheNewPairInTheFileWithOneLine() throws Exception {
        Credentials c = signInToKeyring();
        DeploymentUrl url = Seed.url(server);
        doThrow(new KeyringException("the keyring (Test Keyring) did not answer within 3s (secret-tool was stopped)", true))
                .when(keyring).put(any(), anyString());

        clock.advance(Duration.ofHours(23).plusMinutes(57));
        String fresh = tokens(store()).fresh(url).value();

        assertThat(fresh).isNotEqualTo(c.accessToken());
        assertThat(warnings.toString(StandardCharsets.UTF_8)).isEqualTo("coder-ssh: warning: the keyring (Test Keyring) did"
                + " not answer within 3s (secret-tool was stopped); the tokens for " + url + " are stored in the file "
                + store().credentialsFile(url) + " instead\n");
        // The rotated pair is in the file, and the next process uses it without the keyring.
        Credentials stored = store().load(url);
        assertThat(stored.accessToken()).isEqualTo(fresh);
        assertThat(fake.refreshTokenLive(stored.refreshToken())).isTrue();
        assertThat(store().location(url)).isEqualTo(store().credentialsFile(url).toString());
        assertThat(tokens(store()).fresh(url).value()).isEqualTo(fresh);
        assertThat(fake.refreshRequests.get()).isEqualTo(1);
    }

    @Test
    void statusReadsNoSecretFromTheKeyring() throws Exception {
        Credentials c = signInToKeyring();
        when(keyring.get(any())).thenThrow(new AssertionError("status must not read the keyring"));
        Credentials meta = store().loadMetadata(Seed.url(server));
        assertThat(meta.accessToken()).isEqualTo(TokenPlacement.NOT_LOADED);
        assertThat(meta.expiresAt()).isEqualTo(c.expiresAt());
        assertThat(meta.username()).isEqualTo("alice");
        assertThat(store().list()).singleElement().satisfies(m -> assertThat(m.refreshToken()).isEqualTo(TokenPlacement.NOT_LOADED));
    }

    @Test
    void keyringExceptionsAndKeysCarryNoSecret() {
        SecretKey k = new SecretKey("https://x.example.com", SecretKey.ACCESS);
        assertThat(k.toString()).isEqualTo("SecretKey[deployment=https://x.example.com, kind=access]");
        assertThat(new KeyringProcess.Result(0, "tok-123".getBytes(StandardCharsets.UTF_8), "").toString())
                .doesNotContain("tok-123");
    }
}
