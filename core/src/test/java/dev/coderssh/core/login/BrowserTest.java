package dev.coderssh.core.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import dev.coderssh.core.command.LoginCommand;
import dev.coderssh.core.testing.Cli;
import dev.coderssh.core.testing.FakeCoder;
import dev.coderssh.core.testing.MutableClock;
import dev.coderssh.core.testing.Seed;
import dev.coderssh.core.testing.TestHome;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrowserTest {
    @TempDir
    Path tmp;

    @Test
    void browserVariableGetsTheUrlAsItsOnlyArgument() {
        assertThat(new SystemBrowser(Map.of("BROWSER", "/usr/bin/my browser"), System.err).command("https://x/authorize?a=b"))
                .containsExactly("/usr/bin/my browser", "https://x/authorize?a=b");
    }

    @Test
    void withoutBrowserVariableTheDesktopOpenerIsUsed() {
        List<String> cmd = new SystemBrowser(Map.of(), System.err).command("https://x/");
        assertThat(cmd.get(cmd.size() - 1)).isEqualTo("https://x/");
        assertThat(cmd.get(0)).isIn("xdg-open", "open", "rundll32");
    }

    @Test
    void aBrowserThatFailsToStartLeavesThePrintedUrl() throws Exception {
        FakeCoder fake = new FakeCoder();
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(fake);
            server.start();
            TestHome home = new TestHome(tmp, new MutableClock(Instant.parse("2026-11-01T10:00:00Z")));
            Browser browser = mock(Browser.class);
            doThrow(new IOException("no display")).when(browser).open(anyString());
            int code = Cli.run(new LoginCommand("test", c -> browser, () -> false), home.console(),
                    Seed.url(server).toString(), "--timeout", "200ms");
            verify(browser).open(anyString());
            assertThat(code).isEqualTo(1);
            assertThat(home.err()).contains("could not start a browser").contains("/oauth2/authorize?").contains("timed out");
        }
    }
}
