package dev.coderssh.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;

/** Properties over arbitrary existing configs (issue 5, "Must show"). */
class ConfigSshPropertiesTest {

    @Provide
    Arbitrary<String> configs() {
        return Configs.config();
    }

    /** MINA SSHD 2.20 throws on any Match section ("not able to process Match sections"). */
    @Provide
    Arbitrary<String> configsWithoutMatch() {
        return Configs.config(false);
    }

    private static Fixture fixture(String original) throws IOException {
        Path home = Files.createTempDirectory("config-ssh-prop");
        Fixture f = new Fixture(home);
        f.api.with(FakeCoderApi.ws("dev"), FakeCoderApi.ws("multi", "main", "gpu_1"), FakeCoderApi.ws("web-2"));
        if (original != null) {
            Files.createDirectories(f.config().getParent());
            Files.write(f.config(), original.getBytes(StandardCharsets.ISO_8859_1));
        }
        return f;
    }

    private static byte[] bytes(Fixture f) throws IOException {
        return Files.readAllBytes(f.config());
    }

    @Property(tries = 300)
    void writeThenRemoveGivesTheOriginalBytesBack(@ForAll("configs") String original) throws Exception {
        Fixture f = fixture(original);
        assertThat(f.run(Fixture.URL)).isZero();
        String written = new String(bytes(f), StandardCharsets.ISO_8859_1);
        assertThat(written).contains(BlockParser.startMarker("coder.example.com")).contains("coder.multi.gpu_1");
        assertThat(f.run(Fixture.URL, "--remove")).isZero();
        assertThat(bytes(f)).isEqualTo(original.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Property(tries = 200)
    void writingTwiceIsANoOpAndLeavesTheMtimeAlone(@ForAll("configs") String original) throws Exception {
        Fixture f = fixture(original);
        assertThat(f.run(Fixture.URL, "-o", "ForwardAgent=yes")).isZero();
        byte[] first = bytes(f);
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(f.config(), old);
        assertThat(f.run(Fixture.URL, "-o", "ForwardAgent=yes")).isZero();
        assertThat(bytes(f)).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(f.config())).isEqualTo(old);
        assertThat(f.err()).contains("unchanged");
        // The recorded options regenerate the very same block.
        assertThat(f.run(Fixture.URL, "--use-previous-options")).isZero();
        assertThat(bytes(f)).isEqualTo(first);
    }

    @Property(tries = 200)
    void minaSshdParsesTheWrittenFileAndResolvesOurProxyCommand(@ForAll("configsWithoutMatch") String original) throws Exception {
        Fixture f = fixture(original);
        assertThat(f.run(Fixture.URL)).isZero();
        List<HostConfigEntry> entries = HostConfigEntry.readHostConfigEntries(f.config());
        HostConfigEntryResolver resolver = HostConfigEntry.toHostConfigEntryResolver(entries);
        for (String host : List.of("coder.dev", "coder.multi.gpu_1", "coder.not-listed")) {
            HostConfigEntry resolved = resolver.resolveEffectiveHost(host, 0, null, "me", null, null);
            assertThat(resolved).as(host).isNotNull();
            // MINA keeps a multi-word value as a comma-joined list.
            assertThat(String.join(" ", resolved.getProperty("ProxyCommand").split(","))).as(host)
                    .isEqualTo(Fixture.LAUNCHER + " proxy --url https://coder.example.com %h");
        }
    }

    /** Real OpenSSH on fewer cases: each check is a process spawn. */
    @Property(tries = 12)
    void openSshParsesTheWrittenFileAndUsesOurProxyCommand(@ForAll("configs") String original) throws Exception {
        Fixture f = fixture(original);
        assertThat(f.run(Fixture.URL)).isZero();
        OpenSshClient ssh = OpenSshClient.onPath();
        for (String host : List.of("coder.dev", "coder.multi.main")) {
            Optional<Map<String, String>> effective = ssh.effectiveOptions(f.config(), host);
            assertThat(effective).as("ssh -G -F %s %s", f.config(), host).isPresent();
            assertThat(effective.get())
                    .containsEntry("proxycommand", Fixture.LAUNCHER + " proxy --url https://coder.example.com %h")
                    .containsEntry("serveralivecountmax", "3")
                    .containsEntry("loglevel", "ERROR");
        }
    }
}
