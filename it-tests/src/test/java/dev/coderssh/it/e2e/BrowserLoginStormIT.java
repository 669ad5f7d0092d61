package dev.coderssh.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.it.fixture.RepoPaths;
import dev.coderssh.it.fixture.SandboxExtension;
import dev.coderssh.it.fixture.SshRunner;
import dev.coderssh.it.fixture.SshRunner.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed out, 8 ssh connections at once with {@code --login browser}: core's LoginGate must run ONE
 * browser sign-in for all of them (peers opened a tab per connection), and the others wait for it.
 */
class BrowserLoginStormIT {
  static final int CONNECTIONS = 8;
  static final Pattern AUTHORIZE = Pattern.compile("(http://\\S+/oauth2/authorize\\?\\S+)");
  @RegisterExtension
  static final SandboxExtension SANDBOX = SandboxExtension.create();
  @TempDir
  Path dir;

  @Test
  void eightConcurrentConnectionsShareOneBrowserSignIn() throws Exception {
    Path counter = dir.resolve("browser-launches");
    Path browser = dir.resolve("counting-browser");
    Files.writeString(browser, "#!/bin/sh\necho \"$1\" >> '" + counter + "'\nexec '"
        + RepoPaths.dev("sandbox-browser") + "' \"$1\"\n");
    Files.setPosixFilePermissions(browser, PosixFilePermissions.fromString("rwx------"));
    Path cli = SANDBOX.sandbox().writeCli(dir);
    SshRunner ssh = new SshRunner(dir, ProxyItSupport.launcher() + " proxy --url " + SANDBOX.url()
        + " --coder-binary " + cli + " --login browser %h");
    Map<String, String> env = Map.of("CODER_SSH_HOME", dir.resolve("home").toString(), "BROWSER", browser.toString());

    ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Result>> runs = new ArrayList<>();
    try {
      for (int i = 0; i < CONNECTIONS; i++) {
        String n = Integer.toString(i);
        runs.add(CompletableFuture.supplyAsync(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          return ssh.ssh(env, "coder.dev", "echo connection " + n);
        }, pool));
      }
      go.countDown();
      Set<String> urls = new TreeSet<>();
      int showingUrl = 0;
      for (int i = 0; i < CONNECTIONS; i++) {
        Result r = runs.get(i).join();
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("connection " + i + "\n");
        Matcher m = AUTHORIZE.matcher(r.stderr());
        boolean shown = false;
        while (m.find()) {
          urls.add(m.group(1));
          shown = true;
        }
        if (shown) {
          showingUrl++;
        } else {
          // A connection whose proxy started after the sign-in finished just uses its token: it
          // says nothing at all (no error, no second sign-in).
          assertThat(r.stderr().strip()).as(r.toString()).isEmpty();
        }
      }
      List<String> launches = Files.readAllLines(counter);
      assertThat(launches).as("browser launches").hasSize(1);
      assertThat(urls).as("authorization URLs shown").containsExactly(launches.get(0));
      assertThat(showingUrl).as("connections that showed the URL").isPositive();
      @SuppressWarnings("unchecked")
      Map<String, Object> requests = (Map<String, Object>) SANDBOX.client().stats().get("token_requests");
      assertThat(requests).containsEntry("authorization_code", 1);
    } finally {
      pool.shutdownNow();
    }
  }
}
