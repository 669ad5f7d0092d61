package dev.coderssh.core.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.json.Json;
import dev.coderssh.core.scope.Capability;
import dev.coderssh.core.scope.ScopeCatalog;
import dev.coderssh.core.store.Credentials;
import dev.coderssh.core.testing.Cli;
import dev.coderssh.core.testing.FakeDeployment;
import dev.coderssh.core.testing.TestHome;
import dev.coderssh.core.token.AccessToken;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code status} says about the granted scopes; the first edition's narrow set above all. */
class StatusScopesTest {
    @TempDir
    Path tmp;
    FakeDeployment d;
    TestHome home;
    DeploymentUrl url;

    @BeforeEach
    void setUp() throws Exception {
        d = new FakeDeployment(tmp, Instant.parse("2026-11-01T10:00:00Z"), null);
        home = d.home;
        url = d.url;
    }

    @AfterEach
    void tearDown() throws Exception {
        d.close();
    }

    private Credentials narrowSignIn() {
        return d.narrowSignIn();
    }

    @Test
    void theNarrowSetsJsonListsWhatItLacksByIdAndKeepsTheOtherFields() {
        narrowSignIn();
        assertThat(Cli.run(new StatusCommand("test"), home.console(), url.toString(), "--json")).isZero();
        Map<String, Object> m = Json.parseObject(home.out());
        assertThat(m).containsKeys("url", "user", "kind", "scopes", "expires_at", "state", "store");
        assertThat(m.get("missing_capabilities")).asList().containsExactly("who-am-i", "start-outdated",
                "undormant", "activity-report");
        assertThat(m.get("version_dependent_capabilities")).asList().containsExactly("workspace-lookup", "start");
    }

    @Test
    void theNarrowSetsTextSaysWhatBreaksAndThatLoginAgainFixesIt() {
        narrowSignIn();
        assertThat(Cli.run(new StatusCommand("test"), home.console(), url.toString())).isZero();
        assertThat(home.out()).contains("  lacks:    who-am-i: " + Capability.WHO_AM_I.withoutIt() + "\n")
                .contains("            activity-report: " + Capability.ACTIVITY_REPORT.withoutIt() + "\n")
                .contains("  lacks on some versions (their composite scopes are narrower):\n"
                        + "            workspace-lookup: " + Capability.WORKSPACE_LOOKUP.withoutIt() + "\n")
                .contains("  fix:      run `coder-ssh login " + url + "` again");
    }

    @Test
    void theNarrowSignInKeepsWorking() {
        Credentials c = narrowSignIn();
        AccessToken t = home.services().tokens().fresh(url);
        assertThat(t.value()).isEqualTo(c.accessToken());
        assertThat(t.scopes()).containsExactlyInAnyOrder("coder:workspaces.access", "workspace:start", "user:read_personal");
    }

    @Test
    void theDefaultSetLacksNothingAndSaysNothingAboutIt() {
        Credentials c = narrowSignIn();
        home.services().store().save(new Credentials(c.url(), c.kind(), c.accessToken(), c.refreshToken(), c.issuedAt(),
                c.expiresAt(), String.join(" ", ScopeCatalog.DEFAULT), c.username(), c.clientId(), c.tokenEndpoint(),
                c.revocationEndpoint(), false));
        assertThat(Cli.run(new StatusCommand("test"), home.console(), url.toString(), "--json")).isZero();
        Map<String, Object> m = Json.parseObject(home.out());
        assertThat(m.get("missing_capabilities")).asList().isEmpty();
        assertThat(m.get("version_dependent_capabilities")).asList().isEmpty();
        home.out.reset();
        assertThat(Cli.run(new StatusCommand("test"), home.console(), url.toString())).isZero();
        assertThat(home.out()).doesNotContain("lacks").doesNotContain("fix:");
    }

    @Test
    void aPastedSessionTokenLacksNothingByItsScopes() {
        home.services().store().save(new Credentials(url.toString(), Credentials.SESSION_TOKEN, "AbCdEfGhIj-0123456789abcdefghijkl",
                null, null, null, "", "alice", null, null, null, false));
        assertThat(Cli.run(new StatusCommand("test"), home.console(), "--json")).isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> first = ((List<Map<String, Object>>) Json.parse(home.out())).get(0);
        assertThat(first).containsEntry("missing_capabilities", List.of())
                .containsEntry("version_dependent_capabilities", List.of());
    }
}
