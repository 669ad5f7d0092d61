package dev.coderssh.core.store.keyring;

import dev.coderssh.core.CoreServices;
import dev.coderssh.core.cli.Console;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.http.HttpOptions;
import dev.coderssh.core.store.Credentials;
import dev.coderssh.core.testing.FakeCoder;
import dev.coderssh.core.testing.MutableClock;
import dev.coderssh.core.testing.Seed;
import dev.coderssh.core.testing.TestHome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mockwebserver3.MockWebServer;

/**
 * Runs inside {@code dbus-run-session} with an unlocked gnome-keyring (see
 * {@link SecretServiceKeyringTest}) and exercises the Secret Service backend for real. Prints one
 * line per check, {@code check <name> ok} or {@code check <name> FAIL <why>}, and the secrets it
 * used as {@code secret <value>} lines (hex) so the test can search the argv dump for them.
 * Args: {@code <CODER_SSH_HOME> <argv-dump-file>}.
 */
public final class SecretServiceProbeMain {
    static final String ODD = "tök€n \"dq\" 'sq' $(id) `id` \\ back\ttab\nsecond line ;|&<>*? ";
    private static final List<String> secrets = new ArrayList<>();

    private SecretServiceProbeMain() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        Path dump = Path.of(args[1]);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("CODER_SSH_HOME", home.toString());
        env.put(Keyrings.TIMEOUT_ENV, "20s");
        SecretStore ss = Keyrings.secretService(env, Duration.ofSeconds(20));
        String d1 = "https://one.example.com";
        String d2 = "https://two.example.com:8443";
        SecretKey a1 = new SecretKey(d1, SecretKey.ACCESS);
        SecretKey r1 = new SecretKey(d1, SecretKey.REFRESH);
        SecretKey a2 = new SecretKey(d2, SecretKey.ACCESS);

        check("missing-entry-is-empty", () -> expect(ss.get(a1), Optional.empty()));
        check("put-get", () -> {
            ss.put(a1, used("first-secret-4711"));
            expect(ss.get(a1), Optional.of("first-secret-4711"));
        });
        check("overwrite", () -> {
            ss.put(a1, used("second-secret-0815"));
            expect(ss.get(a1), Optional.of("second-secret-0815"));
        });
        check("entries-are-separate", () -> {
            ss.put(r1, used("refresh-secret-r1"));
            ss.put(a2, used("access-secret-d2"));
            expect(ss.get(a1), Optional.of("second-secret-0815"));
            expect(ss.get(r1), Optional.of("refresh-secret-r1"));
            expect(ss.get(a2), Optional.of("access-secret-d2"));
        });
        check("odd-characters", () -> {
            ss.put(a2, used(ODD));
            expect(ss.get(a2), Optional.of(ODD));
        });
        check("delete", () -> {
            ss.delete(a1);
            expect(ss.get(a1), Optional.empty());
            expect(ss.get(r1), Optional.of("refresh-secret-r1"));
            ss.delete(a1); // deleting a missing entry is fine
            ss.delete(r1);
            ss.delete(a2);
            expect(ss.get(a2), Optional.empty());
        });

        MutableClock clock = new MutableClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        FakeCoder fake = new FakeCoder();
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(fake);
            server.start();
            DeploymentUrl url = Seed.url(server);
            check("store-round-trip", () -> {
                CoreServices core = services(env, clock);
                core.store().placement().chooseForLogin(url, "keyring");
                Credentials c = Seed.signIn(fake, server, core.store(), clock.instant(), Duration.ofHours(24));
                used(c.accessToken());
                used(c.refreshToken());
                String file = Files.readString(core.store().credentialsFile(url));
                expect(file.contains(c.accessToken()) || file.contains(c.refreshToken()), false);
                expect(file.contains("\"store\": \"keyring\""), true);
                expect(ss.get(new SecretKey(url.toString(), SecretKey.ACCESS)), Optional.of(c.accessToken()));
                expect(ss.get(new SecretKey(url.toString(), SecretKey.REFRESH)), Optional.of(c.refreshToken()));
                CoreServices other = services(env, clock);
                expect(other.store().load(url), c);
                expect(other.tokens().fresh(url).value(), c.accessToken());
                expect(other.store().location(url), "keyring (Secret Service)");
                expect(fake.refreshRequests.get(), 0);
            });
            check("refresh-writes-new-pair", () -> {
                Credentials old = services(env, clock).store().load(url);
                clock.advance(Duration.ofHours(23).plusMinutes(58));
                CoreServices core = services(env, clock);
                String fresh = used(core.tokens().fresh(url).value());
                expect(fake.refreshRequests.get(), 1);
                expect(fresh.equals(old.accessToken()), false);
                String refresh = used(ss.get(new SecretKey(url.toString(), SecretKey.REFRESH)).orElseThrow());
                expect(refresh.equals(old.refreshToken()), false);
                expect(fake.refreshTokenLive(refresh), true);
                expect(ss.get(new SecretKey(url.toString(), SecretKey.ACCESS)), Optional.of(fresh));
                String file = Files.readString(core.store().credentialsFile(url));
                expect(file.contains(fresh) || file.contains(refresh) || file.contains(old.refreshToken()), false);
                expect(file.contains("\"expires_at_ms\": " + clock.instant().plusSeconds(86400).toEpochMilli()), true);
                // The next process uses the new pair without asking the server.
                expect(services(env, clock).tokens().fresh(url).value(), fresh);
                expect(fake.refreshRequests.get(), 1);
            });
            check("logout-deletes-entries", () -> {
                CoreServices core = services(env, clock);
                expect(core.store().delete(url), true);
                expect(ss.get(new SecretKey(url.toString(), SecretKey.ACCESS)), Optional.empty());
                expect(ss.get(new SecretKey(url.toString(), SecretKey.REFRESH)), Optional.empty());
                expect(Files.exists(core.store().credentialsFile(url)), false);
            });
        }
        check("argv-never-holds-a-secret", () -> {
            String seen = Files.readString(dump, StandardCharsets.UTF_8);
            expect(seen.contains("secret-tool store --label="), true);
            expect(seen.contains("secret-tool lookup service coder-ssh"), true);
            for (String s : secrets) {
                if (seen.contains(s.strip()) || seen.contains(s.split("\n")[0])) {
                    throw new AssertionError("a secret appeared in a process's argv");
                }
            }
        });
        for (String s : secrets) {
            System.out.println("secret " + java.util.HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8)));
        }
        System.out.println("done");
    }

    static CoreServices services(Map<String, String> env, MutableClock clock) {
        PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Console console = new Console(System.in, System.out, err, env, clock);
        return new CoreServices(console, HttpOptions.defaults(), "test", TestHome.NO_SLEEP);
    }

    static String used(String secret) {
        secrets.add(secret);
        return secret;
    }

    static void expect(Object actual, Object expected) {
        if (!java.util.Objects.equals(actual, expected)) {
            // Never print values: they may be secrets.
            throw new AssertionError("unexpected value (" + (actual == null ? "null" : actual.getClass().getSimpleName()) + ")");
        }
    }

    interface Step {
        void run() throws Exception;
    }

    static void check(String name, Step step) {
        try {
            step.run();
            System.out.println("check " + name + " ok");
        } catch (Throwable t) {
            String msg = String.valueOf(t.getMessage()).replace('\n', ' ');
            System.out.println("check " + name + " FAIL " + t.getClass().getSimpleName() + ": " + msg);
        }
    }
}
