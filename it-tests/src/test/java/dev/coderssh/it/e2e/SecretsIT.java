package dev.coderssh.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.it.fixture.CoderSsh;
import dev.coderssh.it.fixture.ProcSampler;
import dev.coderssh.it.fixture.SandboxExtension;
import dev.coderssh.it.fixture.SshRunner;
import dev.coderssh.it.fixture.SshRunner.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole session (login, status, config-ssh, ssh, a refresh inside the ProxyCommand, a verbose
 * proxy, a refresh through {@code token}, logout) while a sampler reads every process's argv from
 * /proc; then every token the session ever held is looked for in every stdout and stderr, every
 * file under the test's directory (CODER_SSH_HOME included, logs included) except the credentials
 * store, and every argv seen. It must appear nowhere. (The stdout of {@code coder-ssh token} is
 * the one place a token belongs and is left out.)
 */
class SecretsIT {
  @RegisterExtension
  static final SandboxExtension SANDBOX = SandboxExtension.create();
  @TempDir
  Path dir;

  @Test
  void noTokenAppearsInOutputFilesLogsOrArgv() throws Exception {
    String url = SANDBOX.url();
    CoderSsh cs = new CoderSsh(dir.resolve("user")).withSandboxBrowser("allow");
    Map<String, Result> outputs = new LinkedHashMap<>();
    Set<String> tokens = new LinkedHashSet<>();
    Set<String> commandLines;
    try (ProcSampler sampler = ProcSampler.start()) {
      outputs.put("login", ok(cs.run("login", url)));
      cs.withRecordingBrowser();
      collect(cs, url, tokens);
      outputs.put("status", ok(cs.run("status")));
      outputs.put("status --json", ok(cs.run("status", url, "--json")));
      Path config = dir.resolve("user").resolve("ssh_config");
      outputs.put("config-ssh", ok(cs.run("config-ssh", url, "--ssh-config-file", config.toString())));

      SshRunner ssh = new SshRunner(Files.createDirectories(dir.resolve("ssh")), CoderSsh.launcher() + " proxy --url " + url + " %h");
      SshRunner verbose = new SshRunner(Files.createDirectories(dir.resolve("ssh-v")),
          CoderSsh.launcher() + " proxy -v --url " + url + " %h");
      outputs.put("ssh", ok(ssh.ssh(cs.env(), "coder.dev", "echo ok")));
      // The plan cache holds a copy of the access token until the sign-in changes; the file scan
      // below, after logout, shows that no copy outlives it.
      try (Stream<Path> plans = Files.list(cs.home().resolve("cache/plans"))) {
        assertThat(plans).as("the proxy's plan cache").hasSize(1);
      }
      cs.ageAccessToken(url);
      SANDBOX.sandbox().expireTokens("demo", true, false);
      outputs.put("ssh (refreshing)", ok(ssh.ssh(cs.env(), "coder.dev", "echo ok")));
      collect(cs, url, tokens);
      outputs.put("ssh via proxy -v", ok(verbose.ssh(cs.env(), "coder.multi.gpu", "echo ok")));
      outputs.put("ssh -v via proxy -v", ok(SshRunner.run(List.of("ssh", "-v", "-F", verbose.config().toString(),
          "coder.dev", "echo ok"), cs.env(), new byte[0], null)));
      cs.ageAccessToken(url);
      SANDBOX.sandbox().expireTokens("demo", true, false);
      Result token = ok(cs.run("token", url));
      collect(cs, url, tokens);
      assertThat(tokens).contains(token.out().strip());
      outputs.put("token (stderr only)", new Result(token.exit(), new byte[0], token.stderr()));
      outputs.put("logout", ok(cs.run("logout", url)));
      commandLines = sampler.commandLines();
      assertThat(sampler.sweeps()).as("the sampler kept reading /proc").isGreaterThan(10);
    }
    assertThat(tokens).as("login and two refreshes: three pairs").hasSize(6);
    assertThat(SANDBOX.client().stats()).containsEntry("token_requests", Map.of("authorization_code", 1, "refresh_token", 2))
        .containsEntry("revocations", 1);
    assertThat(cs.credentialsFile(url)).doesNotExist();
    assertThat(commandLines).as("the sampler saw the proxy and the stand-in CLI at work")
        .anyMatch(l -> l.contains(" proxy ") && l.contains(url))
        .anyMatch(l -> l.contains("ssh --stdio"));

    List<String> leaks = new ArrayList<>();
    for (Map.Entry<String, Result> e : outputs.entrySet()) {
      search(tokens, "stdout of " + e.getKey(), e.getValue().out(), leaks);
      search(tokens, "stderr of " + e.getKey(), e.getValue().stderr(), leaks);
    }
    Path store = cs.home().resolve("credentials");
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).filter(p -> !p.startsWith(store)).toList();
    }
    assertThat(files).as("the proxy keeps a log").anyMatch(p -> p.startsWith(cs.home().resolve("logs")));
    for (Path f : files) {
      search(tokens, "file " + dir.relativize(f), new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1), leaks);
    }
    for (String argv : commandLines) {
      search(tokens, "argv " + argv, argv, leaks);
    }
    assertThat(leaks).as("places a token appeared").isEmpty();
  }

  private static Result ok(Result r) {
    assertThat(r.exit()).as(r.toString()).isZero();
    return r;
  }

  private static void collect(CoderSsh cs, String url, Set<String> tokens) {
    Map<String, Object> c = cs.credentials(url);
    tokens.add((String) c.get("access_token"));
    tokens.add((String) c.get("refresh_token"));
  }

  private static void search(Set<String> tokens, String where, String text, List<String> leaks) {
    for (String t : tokens) {
      // The whole token, and its secret half alone (an API key is ID-SECRET; a refresh token coder_ID_SECRET).
      String secret = t.substring(Math.max(t.lastIndexOf('-'), t.lastIndexOf('_')) + 1);
      if (text.contains(t) || (secret.length() >= 16 && text.contains(secret))) {
        leaks.add(where);
      }
    }
  }
}
