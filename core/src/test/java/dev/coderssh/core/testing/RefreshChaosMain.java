package dev.coderssh.core.testing;

import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.home.CoderSshHome;
import dev.coderssh.core.http.HttpOptions;
import dev.coderssh.core.http.HttpRequest;
import dev.coderssh.core.http.HttpResponse;
import dev.coderssh.core.http.HttpTransport;
import dev.coderssh.core.http.HttpTransports;
import dev.coderssh.core.oauth.OAuthClient;
import dev.coderssh.core.oauth.Sleeper;
import dev.coderssh.core.store.CredentialStore;
import dev.coderssh.core.store.LockManager;
import dev.coderssh.core.token.AccessTokens;
import dev.coderssh.core.token.Tokens;
import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The victim of the chaos test: {@code <home> <url> <marks-file>}. Builds the production refresh
 * graph (store, lock, OAuth client) over a transport that notes when the token request leaves and
 * when its answer arrives, warms up (HTTP stack loaded, connection pooled), prints "ready", waits
 * for a line on stdin, then refreshes. Marks are {@code <name> <System.nanoTime()>} lines, each
 * one write(2) so they survive SIGKILL; nanoTime is CLOCK_MONOTONIC on Linux, shared by every
 * process of the machine, so the parent can compare them with its own kill instant.
 */
public final class RefreshChaosMain {
    private RefreshChaosMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = Map.of("CODER_SSH_HOME", args[0]);
        DeploymentUrl url = DeploymentUrl.parse(args[1]);
        try (FileOutputStream marks = new FileOutputStream(args[2], true)) {
            Clock clock = Clock.systemUTC();
            CredentialStore store = new CredentialStore(CoderSshHome.resolve(env), System.err, clock);
            HttpTransport real = HttpTransports.create(HttpOptions.defaults(), "chaos", env);
            HttpTransport timed = new HttpTransport() {
                @Override
                public HttpResponse send(HttpRequest request) throws IOException {
                    mark(marks, "send");
                    HttpResponse r = real.send(request);
                    mark(marks, "answer");
                    return r;
                }

                @Override
                public HttpResponse download(HttpRequest request, Path target) throws IOException {
                    return real.download(request, target);
                }
            };
            OAuthClient oauth = new OAuthClient(timed, Sleeper.SYSTEM, new SecureRandom(), clock);
            AccessTokens tokens = Tokens.open(store, new LockManager(CoderSshHome.resolve(env), System.err), clock,
                    new Supplier<OAuthClient>() {
                        @Override
                        public OAuthClient get() {
                            return oauth;
                        }
                    });
            // Warm-up, so the kill lands in the refresh rather than in class loading.
            real.send(HttpRequest.get(url.resolve("/api/v2/buildinfo")));
            store.load(url);
            System.out.println("ready");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            mark(marks, "go");
            tokens.fresh(url);
            mark(marks, "persisted"); // fresh() returns after the save (fsync, rename, dir fsync) and the lock release
        }
    }

    private static void mark(FileOutputStream marks, String name) throws IOException {
        marks.write((name + " " + System.nanoTime() + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
