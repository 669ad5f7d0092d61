package dev.coderssh.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user's earlier settings or the Coder CLI's section can take our hosts over: say so, with the line. */
class ShadowCheckTest {
    @TempDir
    Path home;

    @Test
    void anEarlierHostStarThatSetsProxyCommandIsReportedWithFileAndLine() throws Exception {
        Fixture f = new Fixture(home);
        f.write("# mine\nHost *\n  ProxyCommand none\n  User me\n");
        f.api.with(FakeCoderApi.ws("dev"), FakeCoderApi.ws("web"));
        assertThat(f.run(Fixture.URL)).isZero();
        assertThat(f.err()).contains("warning: " + f.config() + ":3: ProxyCommand none sets proxycommand before coder-ssh's block")
                .contains("for 3 host(s), e.g. coder.dev");
    }

    @Test
    void negatedOrUnrelatedPatternsAndLaterSettingsAreNotReported() throws Exception {
        Fixture f = new Fixture(home);
        f.write("Host * !coder.*\n  ProxyCommand none\nHost other\n  StrictHostKeyChecking yes\n");
        f.api.with(FakeCoderApi.ws("dev"));
        assertThat(f.run(Fixture.URL)).isZero();
        assertThat(f.err()).doesNotContain("warning");
    }

    @Test
    void matchAllAndIncludedFilesAreFollowed() throws Exception {
        Fixture f = new Fixture(home);
        Files.createDirectories(home.resolve(".ssh/conf.d"));
        Files.writeString(home.resolve(".ssh/conf.d/corp.conf"), "Host coder.*\n  UserKnownHostsFile ~/.ssh/corp\n");
        f.write("Include conf.d/*.conf\nMatch all\n  StrictHostKeyChecking yes\n");
        f.api.with(FakeCoderApi.ws("dev"));
        assertThat(f.run(Fixture.URL)).isZero();
        assertThat(f.err()).contains(home.resolve(".ssh/conf.d/corp.conf") + ":2: UserKnownHostsFile")
                .contains(f.config() + ":3: StrictHostKeyChecking yes sets stricthostkeychecking");
    }

    @Test
    void theCoderCliSectionWithTheSamePrefixIsReportedAndWhoWins() throws Exception {
        Fixture f = new Fixture(home);
        String cli = "# ------------START-CODER-----------\nHost coder.*\n  ProxyCommand /usr/bin/coder ssh --stdio %h\n"
                + "# ------------END-CODER------------\n";
        f.write(cli);
        f.api.with(FakeCoderApi.ws("dev"));
        assertThat(f.run(Fixture.URL)).isZero();
        assertThat(f.err()).contains("the Coder CLI's section (" + f.config() + ":1, `Host coder.*`) comes before coder-ssh's block and wins");

        Fixture g = new Fixture(Files.createDirectories(home.resolve("other")));
        g.write("");
        g.api.with(FakeCoderApi.ws("dev"));
        assertThat(g.run(Fixture.URL)).isZero();
        Files.writeString(g.config(), g.read() + cli);
        g.api.with(FakeCoderApi.ws("new"));
        assertThat(g.run(Fixture.URL)).isZero();
        assertThat(g.err()).contains("coder-ssh's block comes first and wins").doesNotContain("warning");
    }

    @Test
    void sshDashGDisagreeingIsReportedWhenTheParserFoundNothing() throws Exception {
        Fixture f = new Fixture(home);
        f.api.with(FakeCoderApi.ws("dev"));
        f.ssh.effective.put("coder.dev", Map.of("proxycommand", "/somewhere/else %h"));
        assertThat(f.run(Fixture.URL)).isZero();
        assertThat(f.err()).contains("`ssh -G coder.dev` uses ProxyCommand /somewhere/else %h instead of coder-ssh's");
    }

    @Test
    void globMatchesLikeOpenSsh() {
        assertThat(ConfigResolver.glob("coder.*", "coder.dev")).isTrue();
        assertThat(ConfigResolver.glob("CODER.?ev", "coder.dev")).isTrue();
        assertThat(ConfigResolver.glob("*.dev", "coder.web")).isFalse();
        assertThat(ConfigResolver.glob("c*r*v", "coder.dev")).isTrue();
        assertThat(ConfigResolver.hostMatches("coder.dev", new String[] {"*", "!coder.*"})).isFalse();
    }
}
