package dev.coderssh.core.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.command.LogoutCommand;
import dev.coderssh.core.store.Credentials;
import dev.coderssh.core.testing.Cli;
import dev.coderssh.core.testing.FollowingBrowser;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Interop over RFC 8414 metadata variants: sign in, one refresh, log out (revocation), each
 * against a server whose metadata names another issuer, lacks members, or carries members this
 * client does not use (some of the wrong type). The results were recorded on the hand-written
 * protocol code and hold unchanged on the SDK (issue 15).
 */
class MetadataVariantsTest extends LoginSuite {
    /** login's exit code, then whether a refresh and a revocation happened: one line per journey. */
    private String journey() {
        int rc = login(new FollowingBrowser());
        if (rc != 0) {
            return "login " + rc;
        }
        Credentials c = store().load(url);
        clock.advance(Duration.ofHours(25));
        String refreshed;
        try {
            refreshed = home.services().tokens().fresh(url).value().equals(c.accessToken()) ? "same" : "refreshed";
        } catch (CoderSshException e) {
            refreshed = "refresh failed " + e.exitCode().code();
        }
        int logout = Cli.run(new LogoutCommand("test"), home.console(), url.toString());
        return "login 0, " + refreshed + ", logout " + logout + ", revocations " + fake.revocations.get();
    }

    @Test
    void anotherIssuerIsNotCheckedAtSignInAsBefore() {
        fake.extraMetadata.put("issuer", "https://elsewhere.example.com");
        assertThat(journey()).isEqualTo("login 0, refreshed, logout 0, revocations 1");
        assertThat(home.err()).doesNotContain("Exception");
    }

    @Test
    void aMissingIssuerIsNotCheckedAtSignInAsBefore() {
        fake.omitMetadata.add("issuer");
        assertThat(journey()).isEqualTo("login 0, refreshed, logout 0, revocations 1");
    }

    @Test
    void noRevocationEndpointSignsInRefreshesAndLogsOutLocally() {
        fake.omitMetadata.add("revocation_endpoint");
        String result = journey();
        assertThat(result).isEqualTo("login 0, refreshed, logout 0, revocations 0");
        assertThat(home.err()).doesNotContain("Exception");
        assertThat(store().load(url)).isNull();
    }

    @Test
    void noGrantTypesListedMeansTheRfcDefaultWhichCannotRefresh() {
        fake.omitMetadata.add("grant_types_supported");
        assertThat(journey()).isEqualTo("login 1");
        assertThat(home.err()).contains("authorization_code and refresh_token grants not both offered");
    }

    @Test
    void noAuthMethodsListedMeansClientSecretBasic() {
        fake.omitMetadata.add("token_endpoint_auth_methods_supported");
        assertThat(journey()).isEqualTo("login 0, refreshed, logout 0, revocations 1");
        assertThat(fake.tokenRequests.get(0)).doesNotContainKey("client_secret");
    }

    @Test
    void noPkceOrNoTokenEndpointIsRefusedWithWhatIsMissing() {
        fake.omitMetadata.add("code_challenge_methods_supported");
        assertThat(journey()).isEqualTo("login 1");
        assertThat(home.err()).contains("PKCE S256 not offered");
        fake.omitMetadata.clear();
        fake.omitMetadata.add("token_endpoint");
        home.err.reset();
        assertThat(journey()).isEqualTo("login 1");
        assertThat(home.err()).contains("no authorization or token endpoint").doesNotContain("Exception");
    }

    @Test
    void extraAndWronglyTypedUnusedMembersAreIgnored() {
        fake.extraMetadata.put("service_documentation", List.of(1, 2));
        fake.extraMetadata.put("op_policy_uri", 7);
        fake.extraMetadata.put("ui_locales_supported", "en");
        fake.extraMetadata.put("x-vendor", java.util.Map.of("nested", List.of(true)));
        assertThat(journey()).isEqualTo("login 0, refreshed, logout 0, revocations 1");
        assertThat(home.err()).doesNotContain("Warning").doesNotContain("Exception");
    }
}
