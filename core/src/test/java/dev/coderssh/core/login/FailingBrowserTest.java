package dev.coderssh.core.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.command.LoginCommand;
import dev.coderssh.core.store.Credentials;
import dev.coderssh.core.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, item 7: a browser command that fails ({@code BROWSER=/bin/false}, a script that exits
 * non-zero) is said at once, with its status and last line, within the default 5-minute wait, and
 * the sign-in goes on waiting: a pasted token still completes it.
 */
class FailingBrowserTest extends LoginSuite {
    static final String TOKEN = "sessiontok-abcdefghijklmnopqrstu";

    @BeforeEach
    void typing() throws Exception {
        terminal();
        fake.addSessionToken(TOKEN);
    }

    /** {@code coder-ssh login URL} with the real SystemBrowser running {@code browser}, a person at stdin. */
    private CompletableFuture<Integer> login(String browser) {
        home.env.put("BROWSER", browser);
        return async(() -> Cli.run(new LoginCommand("test",
                c -> new SystemBrowser(c.env(), c.err()), () -> true), home.console(), url.toString()));
    }

    private void pasteTokenAndExpectSignedIn(CompletableFuture<Integer> code) throws Exception {
        type(TOKEN);
        assertThat(code.get(120, TimeUnit.SECONDS)).as(home.err()).isZero();
        assertThat(store().load(url).kind()).isEqualTo(Credentials.SESSION_TOKEN);
        assertThat(home.err()).contains("(session token)").doesNotContain(TOKEN);
    }

    @Test
    void binFalseIsReportedAtOnceAndThePasteStillSignsIn() throws Exception {
        CompletableFuture<Integer> code = login("/bin/false");
        awaitErr("The browser command failed (/bin/false exited with status 1); open the URL above in a browser"
                + " yourself. Still waiting for the sign-in.");
        assertThat(code).isNotDone();
        pasteTokenAndExpectSignedIn(code);
    }

    @Test
    void aScriptThatExitsNonZeroIsReportedWithItsStatusAndLastLine() throws Exception {
        Path script = tmp.resolve("browser");
        Files.writeString(script, "#!/bin/sh\necho 'opening...'\necho 'no DISPLAY \033[31mset' >&2\necho\nexit 3\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        CompletableFuture<Integer> code = login(script.toString());
        awaitErr("The browser command failed (" + script + " exited with status 3: \"no DISPLAY \\x1b[31mset\")");
        assertThat(home.err()).doesNotContain("\u001b");
        assertThat(home.out()).isEmpty();
        pasteTokenAndExpectSignedIn(code);
    }

    @Test
    void aBrowserThatSucceedsSaysNothing() throws Exception {
        CompletableFuture<Integer> code = login("/bin/true");
        awaitErr("Waiting for the browser");
        Thread.sleep(500); // time for a report that must not come
        assertThat(home.err()).doesNotContain("browser command failed");
        pasteTokenAndExpectSignedIn(code);
    }
}
