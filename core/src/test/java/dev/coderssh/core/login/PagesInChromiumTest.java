package dev.coderssh.core.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The callback pages as a real browser shows them: headless Chromium opens the authorize URL, the
 * fake server redirects it to our listener, and the page it ends on is read back as rendered DOM.
 * Each page names what happened and the next step; the listener's CSP lets no outside resource in.
 */
class PagesInChromiumTest extends LoginSuite {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    /** The person's browser: Chromium, headless, printing the DOM of the page it ends on. */
    final class Chromium implements Browser {
        final CompletableFuture<String> dom = new CompletableFuture<>();

        @Override
        public void open(String url) throws IOException {
            Path profile = Files.createTempDirectory(tmp, "chromium");
            ProcessBuilder pb = new ProcessBuilder(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                    "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile, "--dump-dom", url));
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process p = pb.start();
            Thread t = new Thread(() -> {
                try {
                    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    p.waitFor(60, TimeUnit.SECONDS);
                    dom.complete(out);
                } catch (IOException | InterruptedException e) {
                    dom.completeExceptionally(e);
                }
            });
            t.setDaemon(true);
            t.start();
        }
    }

    /** What a person reads: the rendered DOM without markup and without the stylesheet. */
    static String visibleText(String dom) {
        return dom.replaceAll("(?s)<style>.*?</style>", " ").replaceAll("(?s)<title>.*?</title>", " ")
                .replaceAll("<[^>]+>", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
                .replaceAll("\\s+", " ").strip();
    }

    private String signInWithChromium(int expectedCode) throws Exception {
        assertThat(Files.isExecutable(CHROMIUM)).as("Debian's chromium is installed").isTrue();
        Chromium chromium = new Chromium();
        int code = dev.coderssh.core.testing.Cli.run(new dev.coderssh.core.command.LoginCommand("test",
                c -> chromium, () -> false), home.console(), url.toString());
        assertThat(code).as(home.err()).isEqualTo(expectedCode);
        String dom = chromium.dom.get(60, TimeUnit.SECONDS);
        assertThat(dom).contains("<main").contains("<style>").doesNotContain("<script").doesNotContain("<link")
                .doesNotContain("src=");
        return visibleText(dom);
    }

    @Test
    void theSuccessPageSaysWhoAndWhatToRunNext() throws Exception {
        String text = signInWithChromium(0);
        assertThat(text).contains("coder-ssh Signed in Signed in to " + url + " as alice. You can close this window.")
                .contains("Next, in your terminal: coder-ssh config-ssh adds your workspaces to your ssh config;")
                .contains("ssh coder.<workspace>");
    }

    @Test
    void theDeniedPageSaysNothingWasStoredAndHowToRetry() throws Exception {
        fake.authorizeError = "access_denied";
        String text = signInWithChromium(1);
        assertThat(text).contains("Sign-in cancelled").contains("The request was denied in the browser; nothing was stored.")
                .contains("To try again, run coder-ssh login " + url + " in your terminal");
        assertThat(store().load(url)).isNull();
    }

    @Test
    void theErrorPageNamesTheErrorAndTheNextStep() throws Exception {
        fake.authorizeError = "server_error";
        String text = signInWithChromium(1);
        assertThat(text).contains("Sign-in failed").contains("server_error")
                .contains("coder-ssh doctor " + url + " checks the deployment's sign-in settings.");
    }
}
