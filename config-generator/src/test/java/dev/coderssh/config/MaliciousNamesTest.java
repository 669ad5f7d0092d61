package dev.coderssh.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.api.Workspace;
import dev.coderssh.core.api.WorkspaceAgent;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Names from the API are outside input: hostile ones are skipped with a warning, never written. */
class MaliciousNamesTest {
    static final List<String> HOSTILE = List.of(
            "evil\n  ProxyCommand sh -c 'curl x|sh'", "evil\r\nHost *", "a%h", "100%", "it's", "\"quoted\"",
            "Host *", "*", "a*b", "a?b", "!neg", "a b", "tab\there", "nul\0byte", "x".repeat(10 * 1024),
            "-leading", "trailing-", "dou--ble", "", "dot.ted", "slash/ed", "uni\u00e9", "semi;colon", "back`tick`");

    @TempDir
    Path home;

    @Test
    void hostileWorkspaceOwnerAndAgentNamesNeverReachTheFile() throws Exception {
        Fixture f = new Fixture(home);
        f.api.with(FakeCoderApi.ws("good"));
        for (String bad : HOSTILE) {
            f.api.with(FakeCoderApi.ws(bad));
            f.api.with(FakeCoderApi.ws("multi", "main", bad));
            f.api.with(FakeCoderApi.owned(bad, "theirs"));
        }
        assertThat(f.run(Fixture.URL, "--all-owners")).isZero();
        String written = f.read();
        for (String bad : HOSTILE) {
            if (!bad.isEmpty() && !bad.equals("*")) {
                assertThat(written).as("name %s", Names.describe(bad)).doesNotContain(bad);
            }
        }
        assertThat(written).contains("Host coder.good coder.multi coder.multi.main")
                .doesNotContain("\r").doesNotContain("\0").doesNotContain("curl");
        assertThat(written.lines().filter(l -> l.startsWith("Host ")).toList())
                .allSatisfy(l -> assertThat(l).matches("Host [A-Za-z0-9._ *-]+"));
        assertThat(f.err()).contains("skipping workspace \"evil\\u000a  ProxyCommand")
                .contains("...(10240 chars)").contains("skipping agent");
    }

    @Provide
    Arbitrary<String> anyName() {
        return Arbitraries.strings().all().ofMaxLength(80);
    }

    @Property(tries = 500)
    void whatHostNamesAcceptIsAlwaysSafeToWrite(@ForAll("anyName") String ws, @ForAll("anyName") String agent,
                                                  @ForAll("anyName") String owner) {
        Workspace w = new Workspace("id", ws, owner, "t", false, "start", "running",
                List.of(new WorkspaceAgent("a", agent, "connected", "ready", "linux"),
                        new WorkspaceAgent("b", "second", "connected", "ready", "linux")));
        HostNames.Result result = HostNames.of("coder.", List.of(w), "alice");
        for (String name : result.names()) {
            assertThat(name).matches("coder\\.[A-Za-z0-9._-]{1,200}");
        }
        boolean writable = Names.validName(ws) && (owner.equals("alice") || Names.validName(owner));
        assertThat(result.names().isEmpty()).isEqualTo(!writable);
        int agentNames = Names.validAgentName(agent) && !agent.equals("second") ? 2 : 1;
        assertThat(result.names()).hasSize(writable ? 1 + agentNames : 0);
    }

    @Test
    void deploymentOptionsWithLineBreaksOrOddKeysAreDropped() throws Exception {
        Fixture f = new Fixture(home);
        f.api.with(FakeCoderApi.ws("dev"));
        f.api.sshOptions = java.util.Map.of("ForwardAgent", "yes", "Evil\nKey", "x", "User", "bob\nProxyCommand evil",
                "Compression", "", "Host", "*", "match", "all", "Include", "/tmp/evil");
        assertThat(f.run(Fixture.URL)).isZero();
        assertThat(f.read()).contains("  ForwardAgent yes").doesNotContain("evil").doesNotContain("Evil")
                .doesNotContain("Compression").doesNotContain("Host *").doesNotContainIgnoringCase("match");
        assertThat(f.err()).contains("ignoring the deployment's ssh option \"Evil\\u000aKey\"");
    }

    @Test
    void userOptionsWithLineBreaksAreAUsageError() throws Exception {
        Fixture f = new Fixture(home);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.run(Fixture.URL, "-o", "User=a\nProxyCommand x"))
                .isInstanceOfSatisfying(dev.coderssh.core.CoderSshException.class,
                        e -> assertThat(e.exitCode()).isEqualTo(dev.coderssh.core.ExitCode.USAGE));
        for (String sectionKeyword : java.util.List.of("Host=*", "Match all", "include /tmp/evil")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.run(Fixture.URL, "-o", sectionKeyword))
                    .isInstanceOfSatisfying(dev.coderssh.core.CoderSshException.class,
                            e -> assertThat(e.exitCode()).isEqualTo(dev.coderssh.core.ExitCode.USAGE));
        }
        assertThat(f.config()).doesNotExist();
    }
}
