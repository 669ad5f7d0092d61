package dev.coderssh.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.deployment.DeploymentUrl;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ProxyCommand quoting: ssh's % expansion first, then sh -c (POSIX) or CreateProcess (Windows). */
class ProxyCommandsTest {
    private static final DeploymentUrl URL = DeploymentUrl.parse("https://coder.example.com:8443");

    @Test
    void plainPathsAreLeftBare() {
        assertThat(ProxyCommands.of(Path.of("/usr/local/bin/coder-ssh"), URL, false))
                .isEqualTo("/usr/local/bin/coder-ssh proxy --url https://coder.example.com:8443 %h");
    }

    @Test
    void posixQuotingSurvivesShAfterPercentExpansion() throws Exception {
        String path = "/home/o'neil/my tools/100%/$HOME/`x`/coder-ssh";
        String cmd = ProxyCommands.of(Path.of(path), URL, false);
        assertThat(cmd).contains("%%").endsWith(" %h");
        // What ssh does: expand %% and %h, then run "exec <cmd>" with sh -c.
        String expanded = cmd.replace("%h", "coder.dev").replace("%%", "%");
        Process p = new ProcessBuilder("sh", "-c", "args() { for a; do printf '%s\\n' \"$a\"; done; }; args " + expanded).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertThat(p.waitFor()).isZero();
        // However odd the path, each word arrives as one argument.
        assertThat(out.toString(StandardCharsets.UTF_8).split("\n"))
                .containsExactly(path, "proxy", "--url", "https://coder.example.com:8443", "coder.dev");
    }

    @Test
    void windowsQuotingFollowsCommandLineToArgvRules() {
        assertThat(ProxyCommands.quoteWindows("C:\\Program Files\\coder-ssh\\coder-ssh.cmd"))
                .isEqualTo("\"C:\\Program Files\\coder-ssh\\coder-ssh.cmd\"");
        assertThat(ProxyCommands.quoteWindows("C:\\dir\\")).isEqualTo("C:\\dir\\");
        assertThat(ProxyCommands.quoteWindows("C:\\a b\\")).isEqualTo("\"C:\\a b\\\\\"");
        assertThat(ProxyCommands.quoteWindows("say \"hi\"")).isEqualTo("\"say \\\"hi\\\"\"");
        assertThat(ProxyCommands.of(Path.of("/x/100% sure/coder-ssh"), URL, true))
                .isEqualTo("\"/x/100%% sure/coder-ssh\" proxy --url https://coder.example.com:8443 %h");
    }

    @Test
    void posixQuoteOfEveryAwkwardCharacterRoundTripsThroughSh() throws Exception {
        for (String arg : List.of("a b", "it's", "\"", "$x", "\\", "*", "~", "#", ";", "&", "", "-", "é")) {
            Process p = new ProcessBuilder("sh", "-c", "printf '%s' " + ProxyCommands.quotePosix(arg)).start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            p.getInputStream().transferTo(out);
            assertThat(p.waitFor()).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).as(arg).isEqualTo(arg);
        }
    }
}
