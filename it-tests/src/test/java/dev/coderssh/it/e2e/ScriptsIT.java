package dev.coderssh.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.coderssh.it.fixture.RepoPaths;
import dev.coderssh.it.fixture.SandboxClient;
import dev.coderssh.it.fixture.SandboxExtension;
import dev.coderssh.it.fixture.SshRunner;
import dev.coderssh.it.fixture.SshRunner.Result;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** dev/sandbox-browser against a real loopback callback, and dev/coder-sandbox as a user starts it. */
class ScriptsIT {
  @RegisterExtension
  static final SandboxExtension SANDBOX = SandboxExtension.create();

  /** Runs the browser script on an authorize URL and returns what reached the loopback callback. */
  private static Map.Entry<Result, Map<String, String>> browse(String action) throws Exception {
    HttpServer callback = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    CompletableFuture<URI> seen = new CompletableFuture<>();
    callback.createContext("/callback", ex -> {
      seen.complete(ex.getRequestURI());
      byte[] body = "signed in, you may close this window".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    callback.start();
    try {
      SandboxClient c = SANDBOX.client();
      SandboxClient.Registration reg = c.registerPublic(null);
      String url = c.authorizeUrl(reg.clientId(), "http://127.0.0.1:" + callback.getAddress().getPort() + "/callback",
          "coder:workspaces.access", c.pkce().challenge(), "state-1");
      Result r = SshRunner.run(List.of(RepoPaths.dev("sandbox-browser").toString(), url),
          Map.of("SANDBOX_BROWSER_ACTION", action), new byte[0], null);
      Map<String, String> q = seen.isDone() ? SandboxClient.query(seen.get()) : Map.of();
      return Map.entry(r, q);
    } finally {
      callback.stop(0);
    }
  }

  @Test
  void theBrowserSignsInAllowsAndHitsTheCallbackWithoutPrintingTheCode() throws Exception {
    var outcome = browse("allow");
    Result r = outcome.getKey();
    assertThat(r.exit()).as(r.toString()).isZero();
    String code = outcome.getValue().get("code");
    assertThat(code).startsWith("coder_");
    assertThat(outcome.getValue()).containsEntry("state", "state-1");
    assertThat(r.stderr()).contains("signing in as demo", "clicking Allow", "the callback answered 200")
        .doesNotContain(code);
    assertThat(r.out()).isEmpty();
  }

  @Test
  void denyClicksCancel() throws Exception {
    var outcome = browse("deny");
    assertThat(outcome.getKey().exit()).isZero();
    assertThat(outcome.getValue()).containsEntry("error", "access_denied").doesNotContainKey("code");
  }

  @Test
  void tokenFollowsTheGenerateATokenLinkAndPrintsOnlyTheToken() throws Exception {
    Result r = browse("token").getKey();
    assertThat(r.exit()).as(r.toString()).isZero();
    String token = r.out().strip();
    assertThat(token).matches("[A-Za-z0-9]{10}-[A-Za-z0-9]{22}");
    assertThat(r.stderr()).doesNotContain(token);
    assertThat(SANDBOX.client().get("/api/v2/users/me", token).statusCode()).isEqualTo(200);
  }

  @Test
  void coderSandboxPrintsTheUrlFirstAndServes() throws Exception {
    Process p = new ProcessBuilder(RepoPaths.dev("coder-sandbox").toString(), "--port", "0", "--workspaces", "2",
        "--build-delay", "100ms").redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String first = out.readLine();
      assertThat(first).matches("CODER_URL=http://127\\.0\\.0\\.1:\\d+");
      SandboxClient c = new SandboxClient(first.substring("CODER_URL=".length()), "demo", "sandbox-demo-password");
      String token = c.sessionToken();
      assertThat(SandboxClient.json(c.get("/api/v2/workspaces?q=owner:me", token).body()).get("count")).isEqualTo(7);
      var bin = c.get("/bin/coder-linux-amd64", null);
      assertThat(bin.statusCode()).isEqualTo(200);
      assertThat(bin.body()).startsWith("#!/bin/sh").contains("dev.coderssh.sandbox.cli.CoderCli");
    } finally {
      p.destroy();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void coderSandboxRefusesUnknownFlags() {
    Result r = SshRunner.run(List.of(RepoPaths.dev("coder-sandbox").toString(), "--bogus", "1"), Map.of(),
        new byte[0], null);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.stderr()).contains("unknown flag --bogus");
  }
}
