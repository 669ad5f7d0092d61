package dev.coderssh.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.ExitCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment's {@code hostname_suffix} (issue 11): as {@code coder config-ssh} does, names are
 * written as {@code ws.coder}, {@code Host *.coder} joins {@code Host coder.*}, and each section's
 * ProxyCommand tells the proxy which form it serves; the CLI's flag spellings are accepted.
 */
class ConfigSshSuffixTest {
    static final String PROXY = "/opt/coder-ssh/bin/coder-ssh proxy --url https://coder.example.com";
    @TempDir
    Path home;

    private Fixture fixture(String suffix) {
        Fixture f = new Fixture(home);
        f.api.hostnameSuffix = suffix;
        f.api.with(FakeCoderApi.ws("dev"), FakeCoderApi.ws("multi", "main", "gpu"),
                FakeCoderApi.owned("bob", "shared"));
        return f;
    }

    private static List<String> hostLines(String content) {
        return content.lines().filter(l -> l.startsWith("Host ") || l.contains("ProxyCommand")).toList();
    }

    @Test
    void theDeploymentsSuffixAddsTheSuffixFormBesideThePrefixForm() throws Exception {
        Fixture f = fixture("coder");
        assertThat(f.run(Fixture.URL, "--all-owners")).isZero();
        assertThat(hostLines(f.read())).containsExactly(
                "Host bob--shared.coder dev.coder multi.coder multi.gpu.coder multi.main.coder",
                "Host coder.*",
                "  ProxyCommand " + PROXY + " %h",
                "Host *.coder",
                "  ProxyCommand " + PROXY + " --hostname-suffix coder %h");
        // Nothing recorded: the suffix was the deployment's, so a later change there is followed.
        assertThat(f.read()).doesNotContain("# :hostname-suffix");
    }

    @Test
    void theRealSshPicksTheSectionOfEachFormAndThePrefixWinsWhenBothMatch() throws Exception {
        Fixture f = fixture("coder");
        assertThat(f.run(Fixture.URL)).isZero();
        assertThat(effectiveProxyCommand("dev.coder")).isEqualTo(PROXY + " --hostname-suffix coder %h");
        assertThat(effectiveProxyCommand("multi.gpu.coder")).isEqualTo(PROXY + " --hostname-suffix coder %h");
        assertThat(effectiveProxyCommand("coder.dev")).isEqualTo(PROXY + " %h");
        // The proxy strips the prefix first too (HostParser), so both agree on coder.x.coder.
        assertThat(effectiveProxyCommand("coder.dev.coder")).isEqualTo(PROXY + " %h");
    }

    /** ssh -G prints the ProxyCommand as written, %h not expanded. */
    private String effectiveProxyCommand(String host) throws Exception {
        Process p = new ProcessBuilder("ssh", "-G", "-F", home.resolve(".ssh/config").toString(), host)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out.lines().filter(l -> l.startsWith("proxycommand ")).findFirst().orElseThrow()
                .substring("proxycommand ".length());
    }

    @Test
    void theCliSpellingsAreAcceptedAndAnExplicitSuffixIsRecordedAndReplayed() throws Exception {
        Fixture f = fixture("");
        assertThat(f.run(Fixture.URL, "--ssh-host-prefix", "cs-", "--hostname-suffix", "corp.internal")).isZero();
        assertThat(f.read()).contains("# :host-prefix=cs-\n# :hostname-suffix=corp.internal\n");
        assertThat(hostLines(f.read())).containsExactly(
                "Host dev.corp.internal multi.corp.internal multi.gpu.corp.internal multi.main.corp.internal",
                "Host cs-*",
                "  ProxyCommand " + PROXY + " --host-prefix cs- %h",
                "Host *.corp.internal",
                "  ProxyCommand " + PROXY + " --host-prefix cs- --hostname-suffix corp.internal %h");
        String first = f.read();
        assertThat(f.run(Fixture.URL, "--use-previous-options")).isZero();
        assertThat(f.read()).isEqualTo(first);
    }

    @Test
    void anEmptySuffixTurnsTheDeploymentsOffAndNoWildcardNamesCarryTheirFormsOptions() throws Exception {
        Fixture f = fixture("coder");
        assertThat(f.run(Fixture.URL, "--hostname-suffix", "")).isZero();
        assertThat(hostLines(f.read())).containsExactly(
                "Host coder.dev coder.multi coder.multi.gpu coder.multi.main", "Host coder.*", "  ProxyCommand " + PROXY + " %h");
        assertThat(f.run(Fixture.URL, "--hostname-suffix", "coder", "--no-wildcard")).isZero();
        assertThat(hostLines(f.read())).containsExactly(
                "Host dev.coder multi.coder multi.gpu.coder multi.main.coder",
                "  ProxyCommand " + PROXY + " --hostname-suffix coder %h");
    }

    @Test
    void aBadSuffixIsAUsageErrorAndABadOneFromTheDeploymentIsIgnoredWithAWarning() throws Exception {
        Fixture f = fixture("bad suffix\nProxyCommand x");
        for (String bad : List.of(".coder", "a..b", "co*der", "x y")) {
            assertThatThrownBy(() -> f.run(Fixture.URL, "--hostname-suffix", bad)).isInstanceOfSatisfying(
                    CoderSshException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE));
        }
        assertThat(f.run(Fixture.URL)).isZero();
        assertThat(f.err()).contains("warning: ignoring the deployment's hostname_suffix");
        assertThat(hostLines(f.read())).containsExactly(
                "Host coder.dev coder.multi coder.multi.gpu coder.multi.main", "Host coder.*", "  ProxyCommand " + PROXY + " %h");
    }

    @Test
    void theDeploymentsHostnamePrefixIsUsedUnlessOneIsGiven() throws Exception {
        Fixture f = fixture("");
        f.api.hostnamePrefix = "ws-";
        assertThat(f.run(Fixture.URL)).isZero();
        assertThat(hostLines(f.read())).startsWith("Host ws-dev ws-multi ws-multi.gpu ws-multi.main", "Host ws-*");
        assertThat(f.run(Fixture.URL, "--host-prefix", "coder.")).isZero();
        assertThat(hostLines(f.read())).startsWith("Host coder.dev coder.multi coder.multi.gpu coder.multi.main");
    }
}
