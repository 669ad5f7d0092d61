package dev.coderssh.core.store.keyring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.home.CoderSshHome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyringsTest {
    @TempDir
    Path tmp;

    @Test
    void picksTheBackendByOs() {
        assertThat(Keyrings.forOs("Linux", Map.of()).name()).isEqualTo("Secret Service");
        assertThat(Keyrings.forOs("FreeBSD", Map.of()).name()).isEqualTo("Secret Service");
        assertThat(Keyrings.forOs("Mac OS X", Map.of()).name()).isEqualTo("macOS Keychain");
        assertThat(Keyrings.forOs("Windows 11", Map.of()).name()).isEqualTo("Windows Credential Manager");
    }

    @Test
    void timeoutComesFromTheEnvironmentWithASafeDefault() {
        assertThat(Keyrings.timeout(Map.of())).isEqualTo(Duration.ofSeconds(3));
        assertThat(Keyrings.timeout(Map.of(Keyrings.TIMEOUT_ENV, "10s"))).isEqualTo(Duration.ofSeconds(10));
        assertThat(Keyrings.timeout(Map.of(Keyrings.TIMEOUT_ENV, "250ms"))).isEqualTo(Duration.ofMillis(250));
        assertThat(Keyrings.timeout(Map.of(Keyrings.TIMEOUT_ENV, "7"))).isEqualTo(Duration.ofSeconds(7));
        assertThat(Keyrings.timeout(Map.of(Keyrings.TIMEOUT_ENV, "soon"))).isEqualTo(Duration.ofSeconds(3));
        assertThat(Keyrings.timeout(Map.of(Keyrings.TIMEOUT_ENV, "0s"))).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void windowsFailsAtOnceAndLoginFallsBackLoudly() {
        SecretStore windows = Keyrings.forOs("Windows 10", Map.of());
        assertThatThrownBy(() -> windows.put(new SecretKey("https://x.example.com", SecretKey.ACCESS), "s"))
                .isInstanceOf(KeyringException.class)
                .hasMessage("the keyring (Windows Credential Manager) is not supported by this version of coder-ssh");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        TokenPlacement p = new TokenPlacement(new CoderSshHome(tmp), windows, new PrintStream(err, true, StandardCharsets.UTF_8));
        DeploymentUrl url = DeploymentUrl.parse("https://x.example.com");
        p.chooseForLogin(url, "keyring");
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("access_token", "tok-1");
        doc.put("refresh_token", "ref-1");
        Map<String, Object> out = p.beforeWrite(url, doc, tmp.resolve("c.json"));
        assertThat(out).containsEntry("access_token", "tok-1").containsEntry("refresh_token", "ref-1").containsEntry("store", "file");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("coder-ssh: warning: the keyring (Windows Credential Manager)"
                + " is not supported by this version of coder-ssh; the tokens for https://x.example.com are stored in the file "
                + tmp.resolve("c.json") + " instead\n");
    }
}
