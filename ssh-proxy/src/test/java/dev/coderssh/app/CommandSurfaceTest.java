package dev.coderssh.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.json.Json;
import dev.coderssh.core.CoreServices;
import dev.coderssh.core.cli.Console;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.http.HttpOptions;
import dev.coderssh.core.store.Credentials;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command through Main, as a user types it: help in all three spellings, help that lists
 * exactly the options the parser takes, the one rule for the deployment, and the exit codes.
 */
class CommandSurfaceTest {
    static final Instant NOW = Instant.parse("2026-11-01T10:00:00Z");
    static final Pattern OPTION_LINE = Pattern.compile("(?m)^  (?:(-[a-z]), )?(--?[a-z][a-z-]*)");
    @TempDir
    Path dir;
    final Map<String, String> env = new HashMap<>();

    private record Run(int status, String out, String err) {
    }

    private Run run(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> e = new HashMap<>(Map.of("CODER_SSH_HOME", dir.resolve("home").toString(),
                "HOME", dir.toString(), "PATH", "/usr/bin:/bin", "CODER_SSH_LAUNCHER", "/usr/local/bin/coder-ssh"));
        e.putAll(env);
        Console console = new Console(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true),
                new PrintStream(err, true), e, Clock.fixed(NOW, ZoneOffset.UTC));
        int status = Main.run(List.of(argv), console);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private void signIn(String url, Instant expiresAt, boolean expired) {
        Console console = new Console(new ByteArrayInputStream(new byte[0]), System.out, System.err,
                Map.of("CODER_SSH_HOME", dir.resolve("home").toString()), Clock.fixed(NOW, ZoneOffset.UTC));
        CoreServices core = CoreServices.create(console, HttpOptions.defaults(), "test");
        DeploymentUrl u = DeploymentUrl.parse(url);
        core.store().save(new Credentials(u.toString(), Credentials.OAUTH, "access-" + u.host(), "refresh-" + u.host(),
                NOW.minusSeconds(60), expiresAt, "coder:workspaces.access", "alice", "client", u.resolve("/oauth2/tokens"),
                u.resolve("/oauth2/revoke"), expired));
    }

    /** Written out, not read from the code under test: a command dropped there must fail here. */
    static final List<String> COMMANDS = List.of("login", "logout", "status", "token", "proxy", "config-ssh", "doctor",
            "completion");

    @Test
    void helpIsOnStdoutInEverySpellingAndListsEveryOptionOnALineOfItsOwn() {
        for (String command : COMMANDS) {
            Run help = run("help", command);
            assertThat(help.status()).as(command).isZero();
            assertThat(help.err()).as(command).isEmpty();
            assertThat(help.out()).as(command).startsWith("Usage: coder-ssh " + command);
            assertThat(run(command, "--help")).as(command).isEqualTo(help);
            assertThat(run(command, "-h")).as(command).isEqualTo(help);
            if (command.equals("completion")) {
                continue;
            }
            Set<String> listed = new LinkedHashSet<>();
            Matcher m = OPTION_LINE.matcher(help.out());
            while (m.find()) {
                if (m.group(1) != null) {
                    listed.add(m.group(1));
                }
                listed.add(m.group(2));
            }
            Set<String> offered = new LinkedHashSet<>(List.of(Completion.options(command).split(" ")));
            // The old network names parse but are only mentioned, not offered for completion.
            Set<String> aliases = Set.of("--ca-file", "--client-cert", "--client-key");
            assertThat(listed).as(command + ": help vs completion").containsAll(offered);
            Set<String> extra = new LinkedHashSet<>(listed);
            extra.removeAll(offered);
            assertThat(extra).as(command + ": in help, not offered for completion").isEmpty();
            for (String option : listed) {
                if (!option.startsWith("--")) {
                    continue;
                }
                Run r = run(command, option + "=x");
                assertThat(r.err()).as(command + " " + option).doesNotContain("unknown option");
            }
            for (String alias : aliases) {
                if (offered.contains("--tls-ca-file")) {
                    assertThat(run(command, alias + "=x").err()).as(command + " " + alias).doesNotContain("unknown option");
                }
            }
        }
    }

    @Test
    void topLevelHelp() {
        for (String spelling : List.of("--help", "-h", "help")) {
            Run r = run(spelling);
            assertThat(r.status()).isZero();
            assertThat(r.out()).contains("Commands:").contains("$CODER_URL");
            assertThat(r.err()).isEmpty();
        }
        Run none = run();
        assertThat(none.status()).isEqualTo(2);
        assertThat(none.err()).contains("Commands:");
        assertThat(run("help", "nosuch").status()).isEqualTo(2);
        assertThat(run("help", "login", "more").status()).isEqualTo(2);
    }

    /** Commands that need a sign-in, each with the arguments it needs besides the deployment. */
    static final List<List<String>> NEEDS_SIGN_IN = List.of(List.of("token"), List.of("logout"),
            List.of("proxy", "coder.ws"), List.of("config-ssh", "--dry-run"));

    @Test
    void notSignedInAnywhereIsExitThreeWithTheFix() {
        for (List<String> argv : NEEDS_SIGN_IN) {
            Run r = run(argv.toArray(String[]::new));
            assertThat(r.status()).as(argv.toString()).isEqualTo(3);
            assertThat(r.err()).as(argv.toString()).contains("not signed in to any deployment").contains("coder-ssh login")
                    .hasLineCount(1);
            assertThat(r.out()).as(argv.toString()).isEmpty();
        }
        assertThat(run("doctor").status()).isEqualTo(3);
        assertThat(run("status").status()).isEqualTo(3);
        Run login = run("login", "--with-token");
        assertThat(login.status()).isEqualTo(2);
        assertThat(login.err()).contains("which deployment?").contains("--url").contains("CODER_URL");
    }

    @Test
    void severalSignInsIsAUsageErrorNamingThem() {
        signIn("https://a.example.com", NOW.plusSeconds(3600), false);
        signIn("https://b.example.com", NOW.plusSeconds(3600), false);
        List<List<String>> all = new ArrayList<>(NEEDS_SIGN_IN);
        all.add(List.of("doctor"));
        all.add(List.of("login", "--with-token"));
        for (List<String> argv : all) {
            Run r = run(argv.toArray(String[]::new));
            assertThat(r.status()).as(argv.toString()).isEqualTo(2);
            assertThat(r.err()).as(argv.toString()).contains("https://a.example.com").contains("https://b.example.com")
                    .contains("CODER_URL").hasLineCount(1);
        }
    }

    @Test
    void theOnlySignInIsUsedThenCoderUrlThenTheUrlGiven() {
        signIn("https://a.example.com", NOW.plusSeconds(3600), false);
        Run only = run("token");
        assertThat(only.status()).isZero();
        assertThat(only.out()).isEqualTo("access-a.example.com\n");
        env.put("CODER_URL", "https://c.example.com");
        for (List<String> argv : NEEDS_SIGN_IN) {
            if (argv.get(0).equals("logout")) {
                continue; // logging out of what is not signed in is done already: exit 0
            }
            Run r = run(argv.toArray(String[]::new));
            assertThat(r.status()).as(argv.toString()).isEqualTo(3);
            assertThat(r.err()).as(argv.toString()).contains("https://c.example.com");
        }
        assertThat(run("logout").err()).contains("Not signed in to https://c.example.com");
        assertThat(run("token", "https://a.example.com").out()).isEqualTo("access-a.example.com\n");
        assertThat(run("token", "--url", "https://a.example.com").out()).isEqualTo("access-a.example.com\n");
        Run both = run("token", "https://a.example.com", "--url", "https://c.example.com");
        assertThat(both.status()).isEqualTo(2);
        assertThat(both.err()).contains("give one");
    }

    @Test
    void anExpiredSignInIsExitThreeEverywhere() {
        signIn("https://a.example.com", NOW.minusSeconds(10), true);
        for (List<String> argv : List.of(List.of("token"), List.of("proxy", "coder.ws"), List.of("status"),
                List.of("status", "https://a.example.com"))) {
            Run r = run(argv.toArray(String[]::new));
            assertThat(r.status()).as(argv + r.err()).isEqualTo(3);
            assertThat(r.err()).as(argv.toString()).contains("coder-ssh login");
        }
    }

    @Test
    void statusStatesAreMachineFriendly() {
        signIn("https://a.example.com", NOW.plusSeconds(19), false);
        signIn("https://b.example.com", NOW.minusSeconds(5), false);
        Run r = run("status", "--json");
        assertThat(r.status()).isZero();
        List<String> states = new ArrayList<>();
        for (Object row : (List<?>) Json.parse(r.out())) {
            states.add((String) ((java.util.Map<?, ?>) row).get("state"));
        }
        assertThat(states).containsExactly("active", "refresh_due");
        assertThat(run("status", "https://a.example.com").out()).contains("(in 19s)");
        Run out = run("status", "https://c.example.com", "--json");
        assertThat(out.status()).isEqualTo(3);
        assertThat(Json.parseObject(out.out())).containsEntry("url", "https://c.example.com")
                .containsEntry("state", "signed_out");
    }
}
