package dev.coderssh.it.real;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coderssh.it.fixture.CoderSsh;
import dev.coderssh.it.fixture.RealCoderExtension;
import dev.coderssh.it.fixture.SshRunner;
import dev.coderssh.it.fixture.SshRunner.Result;
import dev.coderssh.realcoder.Api;
import dev.coderssh.realcoder.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user does, against a real Coder (server, CLI downloaded from it, agents): sign in through
 * dynamic registration and the real consent page, hand the token out, write ssh_config, ssh to a
 * running and a stopped workspace, refresh (alone and under a storm), log out, an admin-created
 * app, a denied consent, a sign-in from another port. Each subclass runs it on one release.
 */
abstract class RealCoderSuite {
  @TempDir
  Path dir;
  Deployment d;
  CoderSsh cs;
  String url;

  abstract RealCoderExtension coder();

  @BeforeEach
  void user() {
    d = coder().deployment();
    url = d.url();
    cs = new CoderSsh(dir.resolve("user")).withRealCoderBrowser(d.fixture(), false);
    // The real CLI's own log (coder ssh --log-dir): why a session ended, for a failure message.
    try {
      cs.env("CODER_SSH_LOG_DIR", Files.createDirectories(dir.resolve("cli-logs")).toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  Result login(String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("login", url));
    args.addAll(List.of(extra));
    Result r = cs.run(args.toArray(String[]::new));
    assertThat(r.exit()).as(r.toString()).isZero();
    return r;
  }

  SshRunner proxySsh() throws java.io.IOException {
    return new SshRunner(dir, CoderSsh.launcher() + " proxy --url " + url + " %h");
  }

  /** A failed connection's result with the proxy's log and the server's last lines, to find why. */
  String why(Result r) {
    Path log = cs.home().resolve("logs/proxy.log");
    String proxy;
    try {
      proxy = Files.exists(log) ? Files.readString(log) : "(no proxy.log)";
    } catch (java.io.IOException e) {
      proxy = e.toString();
    }
    StringBuilder cli = new StringBuilder();
    try (var logs = Files.list(dir.resolve("cli-logs"))) {
      logs.forEach(f -> cli.append("--- ").append(f.getFileName()).append('\n')
          .append(dev.coderssh.realcoder.Deployment.tail(f, 20)).append('\n'));
    } catch (java.io.IOException e) {
      cli.append(e);
    }
    return r + "\n--- proxy.log\n" + proxy + "\n" + cli + "--- coderd\n"
        + dev.coderssh.realcoder.Deployment.tail(d.serverLog(), 30);
  }

  /** GET /api/v2/users/me with {@code token}: the server's own verdict on it. */
  int whoAmI(String token) throws java.io.IOException {
    return new Api(url).withToken(token).get("/api/v2/users/me").status();
  }

  @Test
  void signsInThroughRegistrationAndTheServerAcceptsTheToken() throws Exception {
    login();
    Map<String, Object> reg = cs.registration(url);
    assertThat(reg.get("client_id")).as("registered through RFC 7591").isNotNull();
    Result token = cs.run("token", url);
    assertThat(token.exit()).as(token.toString()).isZero();
    JsonNode me = new Api(url).withToken(token.out().strip()).get("/api/v2/users/me").ok();
    assertThat(me.get("id").asText()).isEqualTo(d.owner().userId());
    Result check = cs.run("status", url, "--check");
    assertThat(check.exit()).as(check.toString()).isZero();
    assertThat(cs.browserLaunches()).isZero();
  }

  @Test
  void sshReachesRunningWorkspacesThroughTheCliTheServerServes() throws Exception {
    login();
    SshRunner ssh = proxySsh();
    Result r = ssh.ssh(cs.env(), "coder.dev", "echo $CODER_WORKSPACE_NAME/$CODER_WORKSPACE_AGENT_NAME; exit 3");
    assertThat(r.exit()).as(why(r)).isEqualTo(3);
    assertThat(r.out()).isEqualTo("dev/main\n");
    assertThat(r.stderr()).as("the first connection downloads the real CLI from the deployment")
        .contains("downloading the Coder CLI").contains(url);
    try (var files = Files.walk(cs.home().resolve("cli"))) {
      Path cli = files.filter(Files::isRegularFile).filter(Files::isExecutable).findFirst().orElseThrow();
      assertThat(Files.mismatch(cli, d.build().coder())).as("the very binary the server was built as").isEqualTo(-1);
    }
    Result gpu = ssh.ssh(cs.env(), "data".getBytes(), "coder.multi.gpu", "cat; echo \" on $CODER_WORKSPACE_AGENT_NAME\"");
    assertThat(gpu.exit()).as(gpu.toString()).isZero();
    assertThat(gpu.out()).isEqualTo("data on gpu\n");
  }

  @Test
  void aStoppedWorkspaceIsStartedByTheRealCli() throws Exception {
    login();
    try {
      assertThat(d.workspace("stopped").get("latest_build").get("transition").asText()).isEqualTo("stop");
      Result r = proxySsh().ssh(cs.env(), "coder.stopped", "echo $CODER_WORKSPACE_NAME");
      assertThat(r.exit()).as(r.toString()).isZero();
      assertThat(r.out()).isEqualTo("stopped\n");
      JsonNode build = d.workspace("stopped").get("latest_build");
      assertThat(build.get("transition").asText()).isEqualTo("start");
      assertThat(build.get("job").get("status").asText()).isEqualTo("succeeded");
    } finally {
      d.stopWorkspace("stopped");
    }
  }

  @Test
  void configSshWritesTheDeploymentsHostsAndSshUsesThem() throws Exception {
    login();
    JsonNode sshConfig = d.api().get("/api/v2/deployment/ssh").ok();
    Path file = dir.resolve("ssh_config");
    Result r = cs.run("config-ssh", url, "--ssh-config-file", file.toString(), "--yes");
    assertThat(r.exit()).as(r.toString()).isZero();
    String written = Files.readString(file);
    String prefix = sshConfig.path("hostname_prefix").asText();
    String suffix = sshConfig.path("hostname_suffix").asText("");
    // The deployment's own naming: the prefix form always, the suffix form when it has one.
    assertThat(written).contains("Host " + prefix + "*");
    List<String> hosts = new java.util.ArrayList<>(List.of(prefix + "dev"));
    if (!suffix.isEmpty()) {
      assertThat(written).contains("Host *." + suffix).contains("dev." + suffix).contains("multi.gpu." + suffix);
      hosts.add("dev." + suffix);
    }
    for (String host : hosts) {
      Result ssh = SshRunner.run(List.of("ssh", "-F", file.toString(), host, "echo $CODER_WORKSPACE_NAME"),
          cs.env(), new byte[0], null);
      assertThat(ssh.exit()).as(host + ": " + why(ssh)).isZero();
      assertThat(ssh.out()).as(host).isEqualTo("dev\n");
    }
  }

  @Test
  void aRefreshRotatesBothTokensAndTheServerRefusesTheOldOnes() throws Exception {
    login();
    SshRunner ssh = proxySsh();
    assertThat(ssh.ssh(cs.env(), "coder.dev", "true").exit()).isZero();
    Map<String, Object> before = cs.credentials(url);
    long refreshes = d.tokenRequests();
    cs.awaitNoLiveSessions(""); // a CLI still holding the key would defer the rotation (issue 20)
    cs.ageAccessToken(url);
    Result r = ssh.ssh(cs.env(), "coder.dev", "echo ok");
    assertThat(r.exit()).as(r.toString()).isZero();
    Map<String, Object> after = cs.credentials(url);
    assertThat(after.get("access_token")).isNotEqualTo(before.get("access_token"));
    assertThat(after.get("refresh_token")).isNotEqualTo(before.get("refresh_token"));
    assertThat(d.tokenRequests() - refreshes).as("token requests the server saw").isEqualTo(1);
    assertThat(whoAmI((String) before.get("access_token"))).as("the old access token").isEqualTo(401);
    assertThat(whoAmI((String) after.get("access_token"))).isEqualTo(200);
    assertThat(refreshWith((String) before.get("refresh_token"))).as("the old refresh token").isNotEqualTo(200);
  }

  @Test
  void sixteenConnectionsWithAStaleTokenRefreshOnceAndAllSucceed() throws Exception {
    login();
    SshRunner ssh = proxySsh();
    assertThat(ssh.ssh(cs.env(), "coder.dev", "true").exit()).isZero();
    cs.awaitNoLiveSessions(""); // a CLI still holding the key would defer the rotation (issue 20)
    cs.ageAccessToken(url);
    long refreshes = d.tokenRequests();
    List<Result> all = ssh.echoAtOnce(cs.env(), "coder.dev", 16);
    assertThat(all).allSatisfy(r -> assertThat(r.exit()).as(why(r)).isZero());
    assertThat(d.tokenRequests() - refreshes).as("token requests the server saw").isEqualTo(1);
    assertThat(whoAmI((String) cs.credentials(url).get("access_token"))).isEqualTo(200);
  }

  @Test
  void logoutRevokesBothTokensAtTheServer() throws Exception {
    login();
    Map<String, Object> c = cs.credentials(url);
    Map<String, Object> reg = cs.registration(url);
    assertThat(whoAmI((String) c.get("access_token"))).isEqualTo(200);
    Result out = cs.run("logout", url);
    assertThat(out.exit()).as(out.toString()).isZero();
    assertThat(cs.credentialsFile(url)).doesNotExist();
    assertThat(whoAmI((String) c.get("access_token"))).as("the access token after logout").isEqualTo(401);
    assertThat(refreshWith((String) c.get("refresh_token"), reg)).as("the refresh token after logout").isNotEqualTo(200);
  }

  /** Whether Cancel's redirect carries the sign-in's state (2.36 yes; 2.25 no, so it is unverifiable). */
  abstract boolean cancelCarriesState();

  @Test
  void aDeniedConsentStoresNothing() {
    cs.withRealCoderBrowser(d.fixture(), true);
    Result r = cs.run("login", url, "--timeout", "15s");
    assertThat(r.exit()).as(r.toString()).isNotZero();
    if (cancelCarriesState()) {
      assertThat(r.stderr()).as(r.toString()).containsIgnoringCase("denied");
    } else {
      // A state-less cancellation could come from any local process: the browser is told, the
      // sign-in waits on (here until its timeout; a person presses Ctrl-C).
      assertThat(cs.realCoderBrowserLog()).contains("Cancelled, but not verified");
      assertThat(r.stderr()).as(r.toString()).contains("timed out");
    }
    assertThat(cs.credentialsFile(url)).doesNotExist();
  }

  @Test
  void anAdminCreatedAppSignsInWithItsSecret() throws Exception {
    int port = dev.coderssh.realcoder.Postgres.freePort();
    JsonNode app = d.api().post("/api/v2/oauth2-provider/apps", Map.of("name", "ide-" + port,
        "callback_url", "http://127.0.0.1:" + port + "/callback", "icon", "")).ok();
    String secret = d.api().post("/api/v2/oauth2-provider/apps/" + app.get("id").asText() + "/secrets", Map.of())
        .ok().get("client_secret_full").asText();
    Path file = dir.resolve("secret");
    Files.writeString(file, secret);
    Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    login("--client-id", app.get("id").asText(), "--client-secret-file", file.toString(),
        "--callback-port", Integer.toString(port));
    assertThat(whoAmI((String) cs.credentials(url).get("access_token"))).isEqualTo(200);
    Result r = proxySsh().ssh(cs.env(), "coder.dev", "echo $CODER_WORKSPACE_NAME");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("dev\n");
  }

  @Test
  void aSecondSignInFromAnotherPortKeepsItsClientAndTheServerComparesPorts() throws Exception {
    login();
    Object clientId = cs.registration(url).get("client_id");
    login();
    assertThat(cs.registration(url).get("client_id")).as("re-pointed (RFC 7592), not registered again").isEqualTo(clientId);
    // The server compares the loopback port: an authorize request for another port is refused.
    String authorize = url + "/oauth2/authorize?response_type=code&client_id=" + clientId
        + "&redirect_uri=http://127.0.0.1:1/callback&state=x&code_challenge=" + "A".repeat(43)
        + "&code_challenge_method=S256";
    Api.Answer a = d.api().get(authorize.substring(url.length()));
    assertThat(a.status()).as(a.text()).isEqualTo(400);
  }

  int refreshWith(String refreshToken) throws java.io.IOException {
    return refreshWith(refreshToken, cs.registration(url));
  }

  /** A refresh at the token endpoint with this client's own credentials: the server's verdict. */
  int refreshWith(String refreshToken, Map<String, Object> reg) throws java.io.IOException {
    okhttp3.FormBody.Builder form = new okhttp3.FormBody.Builder().add("grant_type", "refresh_token")
        .add("refresh_token", refreshToken).add("client_id", (String) reg.get("client_id"));
    if (reg.get("client_secret") != null) {
      form.add("client_secret", (String) reg.get("client_secret"));
    }
    try (okhttp3.Response r = new okhttp3.OkHttpClient().newCall(new okhttp3.Request.Builder()
        .url(url + "/oauth2/tokens").post(form.build()).build()).execute()) {
      return r.code();
    }
  }
}
