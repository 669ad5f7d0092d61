package dev.coderssh.core.scope;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScopeCatalogTest {
    @Test
    void theDefaultSetCoversEverySshStepOnEveryVersion() {
        assertThat(ScopeCatalog.assess(ScopeCatalog.DEFAULT).complete()).isTrue();
    }

    @Test
    void theFirstEditionsNarrowSetLacksWhoAmIAndTheActivityReport() {
        ScopeAssessment a = ScopeCatalog.assess(List.of("coder:workspaces.access", "workspace:start", "user:read_personal"));
        assertThat(a.missing()).containsExactly(Capability.WHO_AM_I, Capability.START_OUTDATED,
                Capability.UNDORMANT, Capability.ACTIVITY_REPORT);
        // The newest access composite includes template:read, older ones do not; the newest
        // servers start with workspace:start, older scope-enforcing ones check workspace:update.
        assertThat(a.versionDependent()).containsExactly(Capability.WORKSPACE_LOOKUP, Capability.START);
    }

    @Test
    void coderAllAndWildcardsGrantEverything() {
        assertThat(ScopeCatalog.assess(List.of("coder:all")).complete()).isTrue();
        assertThat(ScopeCatalog.assess(List.of("all")).complete()).isTrue();
        assertThat(ScopeCatalog.assess(List.of("workspace:*", "template:*", "user:*")).complete()).isTrue();
    }

    @Test
    void anEmptyGrantMissesEverything() {
        assertThat(ScopeCatalog.assess(List.of()).missing()).containsExactly(Capability.values());
    }

    @Test
    void theRequestKeepsOnlyNamesTheServerLists() {
        assertThat(ScopeCatalog.request(List.of())).isEqualTo(ScopeCatalog.DEFAULT);
        assertThat(ScopeCatalog.request(null)).isEqualTo(ScopeCatalog.DEFAULT);
        List<String> supported = List.of("coder:workspaces.access", "coder:workspaces.operate", "workspace:start",
                "template:read", "user:read_personal", "user:read", "workspace:create", "inbox_notification:read");
        assertThat(ScopeCatalog.request(supported)).isEqualTo(ScopeCatalog.DEFAULT);
        assertThat(ScopeCatalog.request(List.of("workspace:read", "workspace:ssh", "workspace:update", "user:read")))
                .containsExactly("workspace:read", "workspace:ssh", "workspace:update", "user:read");
    }
}
