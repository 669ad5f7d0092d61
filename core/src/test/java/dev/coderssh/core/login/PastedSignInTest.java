package dev.coderssh.core.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.command.LoginCommand;
import dev.coderssh.core.store.Credentials;
import dev.coderssh.core.testing.Cli;
import dev.coderssh.core.testing.FollowingBrowser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The remote sign-in: the browser on another machine cannot reach our 127.0.0.1 listener, so the
 * user pastes the address it ended on; a bad paste is said and asked again, three strikes end it.
 */
class PastedSignInTest extends LoginSuite {
    @BeforeEach
    void typing() throws IOException {
        terminal();
    }

    /** The authorization URL login printed (it opens no browser with --no-browser). */
    private String shownAuthorizeUrl() throws InterruptedException {
        for (int i = 0; i < 3000; i++) {
            for (String l : home.err().lines().toList()) {
                if (l.strip().startsWith("http") && l.contains("/oauth2/authorize?")) {
                    return l.strip();
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no authorize URL shown: " + home.err());
    }

    private CompletableFuture<Integer> login(String... args) {
        return async(() -> Cli.run(new LoginCommand("test", c -> u -> { }, () -> true),
                home.console(), args));
    }

    @Test
    void thePastedRedirectCompletesTheSignInAfterBadPastes() throws Exception {
        CompletableFuture<Integer> code = login(url.toString(), "--no-browser");
        // The remote browser approves; the server redirects to our 127.0.0.1, which it cannot reach.
        String redirect = FollowingBrowser.location(shownAuthorizeUrl());
        assertThat(redirect).startsWith("http://127.0.0.1:").contains("code=");
        type("oops I pasted this");
        awaitErr("neither the URL from the browser nor a token; paste again (2 more tries)");
        type(redirect.replaceAll("state=[^&]+", "state=another-attempt"));
        awaitErr("belongs to another sign-in attempt");
        type(redirect.replace("http://", "")); // as an address bar shows it
        assertThat(code.get(120, TimeUnit.SECONDS)).as(home.err()).isZero();
        Credentials c = store().load(url);
        assertThat(c.kind()).isEqualTo(Credentials.OAUTH);
        assertThat(c.username()).isEqualTo("alice");
        assertThat(home.err()).containsPattern("Waiting for the browser \\(until \\d\\d:\\d\\d, Ctrl-C to cancel\\)")
                .contains("paste that").contains("Signed in to " + url + " as alice")
                .doesNotContain(c.accessToken());
        assertThat(home.out()).isEmpty();
    }

    @Test
    void aRejectedTokenIsAskedAgainAndAGoodOneWins() throws Exception {
        fake.addSessionToken("good-0123456789012345678901");
        CompletableFuture<Integer> code = login(url.toString(), "--no-browser");
        shownAuthorizeUrl();
        type("bad-0123456789012345678901");
        awaitErr("the server rejected that token; paste again");
        type("");
        type("good-0123456789012345678901");
        assertThat(code.get(120, TimeUnit.SECONDS)).as(home.err()).isZero();
        assertThat(store().load(url).kind()).isEqualTo(Credentials.SESSION_TOKEN);
        assertThat(home.err()).doesNotContain("good-0123456789012345678901").doesNotContain("bad-0123");
    }

    @Test
    void threeBadPastesEndTheSignInWithSignInRequired() throws Exception {
        CompletableFuture<Integer> code = login(url.toString(), "--no-browser");
        shownAuthorizeUrl();
        type("http://127.0.0.1:1/elsewhere?code=x&state=y");
        type("two words");
        type("nope-0123456789012345678901");
        assertThat(code.get(120, TimeUnit.SECONDS)).as(home.err()).isEqualTo(3);
        assertThat(home.err()).contains("not the sign-in redirect").contains("(3 tries)");
        assertThat(store().load(url)).isNull();
    }
}
