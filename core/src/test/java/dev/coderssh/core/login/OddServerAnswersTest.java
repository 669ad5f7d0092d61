package dev.coderssh.core.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.command.StatusCommand;
import dev.coderssh.core.store.Credentials;
import dev.coderssh.core.testing.Cli;
import dev.coderssh.core.testing.FollowingBrowser;
import dev.coderssh.core.token.Scopes;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, minor items: answers a real server may send that are odd but not wrong enough to lose
 * a sign-in over, each against the FakeCoder on a MockWebServer; and a file a user may give by mistake.
 */
class OddServerAnswersTest extends LoginSuite {
    @Test
    void aRegistrationWithEmptyOrOddlyFormedUnusedMembersStillSignsIn() {
        fake.extraRegistration.putAll(Map.of("client_uri", "", "logo_uri", "not a uri", "contacts", "ops@example.com",
                "grant_types", 7, "redirect_uris", List.of("", 3), "software_statement", Map.of("x", List.of())));
        assertThat(login(new FollowingBrowser())).as(home.err()).isZero();
        assertThat(store().load(url).username()).isEqualTo("alice");
        assertThat(store().loadClient(url).clientId()).startsWith("dcr-");
    }

    @Test
    void anEmptyClientUriAsSomeServersSendIsIgnored() {
        fake.extraRegistration.put("client_uri", "");
        assertThat(login(new FollowingBrowser())).as(home.err()).isZero();
    }

    @Test
    void anEmptyRegistrationUriIsTreatedAsAbsent() {
        fake.extraRegistration.put("registration_client_uri", "");
        fake.extraRegistration.put("registration_access_token", "");
        assertThat(login(new FollowingBrowser())).as(home.err()).isZero();
        assertThat(store().loadClient(url).registrationClientUri()).isNull();
        assertThat(store().loadClient(url).registrationAccessToken()).isNull();
    }

    @Test
    void aMegabyteScopeIsCappedAndTheSignInKept() throws Exception {
        StringBuilder huge = new StringBuilder(String.join(" ", dev.coderssh.core.scope.ScopeCatalog.DEFAULT));
        for (int i = 0; huge.length() < 1_500_000; i++) {
            huge.append(" junk:").append(i).append(i % 50 == 0 ? "x".repeat(300) : "");
        }
        fake.grantedScopeOverride = huge.toString();
        assertThat(login(new FollowingBrowser())).as(home.err()).isZero();
        Credentials c = store().load(url);
        assertThat(c.scope()).hasSizeLessThanOrEqualTo(Scopes.MAX_STORED_CHARS)
                .startsWith(String.join(" ", dev.coderssh.core.scope.ScopeCatalog.DEFAULT));
        assertThat(Files.size(home.root.resolve("credentials").toFile().listFiles()[0].toPath())).isLessThan(16 * 1024);
        // Read back by another command: still the same sign-in, not "corrupt, sign in again".
        assertThat(Cli.run(new StatusCommand("test"), home.console(), url.toString())).as(home.err()).isZero();
        assertThat(home.out()).contains("  user:     alice").contains("state:    active");
    }

    @Test
    void aHugeClientSecretFileIsOneLineNotAnEndlessRead() throws Exception {
        java.nio.file.Path huge = tmp.resolve("secret");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(5L * 1024 * 1024 * 1024); // sparse: 5 GiB of nothing
        }
        String[] client = fake.adminClient();
        assertThat(login(new FollowingBrowser(), "--client-id", client[0], "--client-secret-file", huge.toString()))
                .isEqualTo(2);
        assertThat(home.err().strip()).endsWith("--client-secret-file " + huge + " is larger than 64 KiB: not a client secret");
    }
}
