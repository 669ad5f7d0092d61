package dev.coderssh.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.testing.FakeCoder;
import dev.coderssh.core.testing.Seed;
import dev.coderssh.core.testing.TestHome;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, item 5: what a server says (its version, the user name, the granted scopes, its error
 * text) reaches the terminal escaped, through {@code Main} as a user runs each command. The values
 * carry an OSC title change, a C1 CSI, a bell and a newline that would forge a line of our own.
 */
class ServerTextEscapingTest {
    static final String FORGED = "Signed in to https://evil.example as admin";
    static final String USER = "mallory\u001b]0;owned\u0007\u009b2J\n" + FORGED;
    static final String ESCAPED_USER = "mallory\\x1b]0;owned\\x07\\x9b2J\\x0a" + FORGED;
    static final String VERSION = "v2.38.0\u001b]0;retitled\u0007";
    static final String ESCAPED_VERSION = "v2.38.0\\x1b]0;retitled\\x07";
    @TempDir
    Path dir;
    MockWebServer server;
    FakeCoder fake = new FakeCoder();
    TestHome home;
    String url;

    @BeforeEach
    void setUp() throws Exception {
        server = new MockWebServer();
        server.setDispatcher(fake);
        server.start();
        url = Seed.url(server).toString();
        home = new TestHome(dir, Clock.systemUTC());
        home.env.put("PATH", "/usr/bin:/bin");
        fake.username = USER;
        fake.version = VERSION;
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private int main(String... argv) {
        return Main.run(List.of(argv), home.console());
    }

    /** Nothing that acts on a terminal, and no line the server wrote for us. */
    private static void assertInert(String printed) {
        assertThat(printed).doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\u009b");
        assertThat(printed.lines()).noneMatch(l -> l.startsWith(FORGED));
    }

    @Test
    void loginAndStatusShowTheUserNameAndScopesEscaped() {
        fake.addSessionToken("sessiontok-abcdefghijklmnopqrstu");
        home.in = new ByteArrayInputStream("sessiontok-abcdefghijklmnopqrstu\n".getBytes(StandardCharsets.UTF_8));
        assertThat(main("login", url, "--with-token")).as(home.err()).isZero();
        assertThat(home.err()).contains("as " + ESCAPED_USER + " (session token)");
        assertThat(main("status", url)).as(home.err()).isZero();
        assertThat(home.out()).contains("  user:     " + ESCAPED_USER);
        assertInert(home.err() + home.out());
    }

    @Test
    void statusJsonEscapesControlsAScriptMightPrint() {
        fake.addSessionToken("sessiontok-abcdefghijklmnopqrstu");
        home.in = new ByteArrayInputStream("sessiontok-abcdefghijklmnopqrstu\n".getBytes(StandardCharsets.UTF_8));
        assertThat(main("login", url, "--with-token")).isZero();
        assertThat(main("status", url, "--json")).isZero();
        assertThat(home.out()).contains("mallory\\u001B]0;owned\\u0007\\u009b2J\\n" + FORGED);
        assertInert(home.out());
    }

    @Test
    void anErrorLineQuotingTheServerIsEscaped() {
        fake.providerEnabled = false; // the message names the deployment's version
        assertThat(main("login", url, "--no-browser")).isEqualTo(1);
        assertThat(home.err()).contains("(Coder " + ESCAPED_VERSION + ")");
        assertThat(home.err().lines()).hasSize(1);
        assertInert(home.err());
    }

    @Test
    void everyDoctorLineIsEscaped() {
        main("doctor", url, "--coder-binary", "/bin/false");
        assertThat(home.out()).contains("answers, Coder " + ESCAPED_VERSION);
        assertInert(home.out() + home.err());
    }
}
