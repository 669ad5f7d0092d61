package dev.coderssh.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.scope.ScopeCatalog;
import dev.coderssh.it.fixture.CoderSsh;
import dev.coderssh.it.fixture.RepoPaths;
import dev.coderssh.it.fixture.SandboxClient;
import dev.coderssh.it.fixture.SandboxExtension;
import dev.coderssh.it.fixture.SshRunner;
import dev.coderssh.it.fixture.SshRunner.Result;
import dev.coderssh.sandbox.Sandbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coder-ssh login} as a user runs it: the real launcher, {@code dev/sandbox-browser} as the
 * person at the browser, the sandbox over real HTTP. Three deployments: the default one, one with
 * the OAuth2 provider off, one with dynamic client registration off.
 */
class LoginIT {
  @RegisterExtension
  static final SandboxExtension SANDBOX = SandboxExtension.create();
  @RegisterExtension
  static final SandboxExtension PROVIDER_OFF = SandboxExtension.with(o -> o.withProvider(false));
  @RegisterExtension
  static final SandboxExtension DCR_OFF = SandboxExtension.with(o -> o.withDcr(false));
  static final List<String> DEFAULT_SCOPES = ScopeCatalog.DEFAULT;

  @TempDir
  Path dir;

  @Test
  void signsInThroughTheBrowserAndASecondLoginReusesTheRegistration() throws Exception {
    String url = SANDBOX.url();
    CoderSsh cs = new CoderSsh(dir).withSandboxBrowser("allow");
    Result login = cs.run("login", url);
    assertThat(login.exit()).as(login.toString()).isZero();
    assertThat(login.out()).as("login prints nothing on stdout").isEmpty();
    assertThat(login.stderr()).contains("Signed in to " + url + " as demo");

    Result status = cs.run("status", url, "--json");
    assertThat(status.exit()).as(status.toString()).isZero();
    Map<String, Object> s = SandboxClient.json(status.out());
    assertThat(s).containsEntry("user", "demo").containsEntry("kind", "oauth").containsEntry("state", "active");
    if (SANDBOX.sandbox().options().profile().enforcesScopes()) {
      assertThat(s.get("scopes")).asList().containsExactlyInAnyOrderElementsOf(DEFAULT_SCOPES);
      assertThat(s).containsEntry("scopes_enforced", true);
    } else {
      // As the real 2.25.1 and 2.36.1: the key's own record says coder:all, whatever was asked.
      assertThat(s.get("scopes")).asList().containsExactly("coder:all");
      assertThat(s).containsEntry("scopes_enforced", false);
      assertThat(login.stderr()).contains("does not narrow OAuth tokens");
    }
    Path creds = cs.credentialsFile(url);
    assertThat(Files.getPosixFilePermissions(creds)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

    Map<String, Object> stats = SANDBOX.client().stats();
    assertThat(stats).containsEntry("registrations", 1)
        .containsEntry("token_requests", Map.of("authorization_code", 1, "refresh_token", 0));

    String firstToken = (String) cs.credentials(url).get("access_token");
    Result again = cs.run("login", url);
    assertThat(again.exit()).as(again.toString()).isZero();
    stats = SANDBOX.client().stats();
    assertThat(stats).as("the stored client is reused").containsEntry("registrations", 1)
        .containsEntry("token_requests", Map.of("authorization_code", 2, "refresh_token", 0))
        .containsEntry("valid_access_tokens", 1);
    String secondToken = (String) cs.credentials(url).get("access_token");
    assertThat(secondToken).isNotEqualTo(firstToken);
    assertThat(SANDBOX.client().get("/api/v2/users/me", secondToken).statusCode()).isEqualTo(200);
    assertThat(SANDBOX.client().get("/api/v2/users/me", firstToken).statusCode())
        .as("one token per user and app: the first sign-in's token is gone").isEqualTo(401);
  }

  @Test
  void deniedConsentIsOneClearLineAndStoresNothing() {
    String url = SANDBOX.url();
    CoderSsh cs = new CoderSsh(dir).withSandboxBrowser("deny");
    Result login = cs.run("login", url);
    assertThat(login.exit()).as(login.toString()).isEqualTo(1);
    assertThat(login.out()).isEmpty();
    List<String> errors = errorLines(login, "login");
    assertThat(errors).as(login.stderr()).hasSize(1);
    assertThat(errors.get(0)).contains("cancelled", "access_denied");
    assertThat(login.stderr()).doesNotContain("Exception", "\tat ");
    assertThat(cs.credentialsFile(url)).doesNotExist();
    assertThat(SANDBOX.client().stats()).containsEntry("token_requests", Map.of("authorization_code", 0, "refresh_token", 0));
    Result status = cs.run("status", url);
    assertThat(status.exit()).isEqualTo(3);
  }

  @Test
  void providerOffOffersTheTokenFallbackAndAPastedTokenWorks() {
    String url = PROVIDER_OFF.url();
    CoderSsh cs = new CoderSsh(dir);
    Result login = cs.run("login", url);
    assertThat(login.exit()).as(login.toString()).isEqualTo(1);
    List<String> errors = errorLines(login, "login");
    assertThat(errors).as(login.stderr()).hasSize(1);
    assertThat(errors.get(0)).contains("OAuth2 provider is not enabled", url + "/cli-auth", "--token-stdin");
    assertThat(cs.browserLaunches()).isZero();
    assertThat(cs.credentialsFile(url)).doesNotExist();

    // The person follows the hint: "Generate a token" in the browser, then pastes it.
    Result browser = SshRunner.run(List.of(RepoPaths.dev("sandbox-browser").toString(), url + "/login"),
        Map.of("SANDBOX_BROWSER_ACTION", "token"), new byte[0], null);
    assertThat(browser.exit()).as(browser.toString()).isZero();
    String token = browser.out().strip();
    assertThat(token).isNotEmpty();
    Result pasted = cs.runWithStdin((token + "\n").getBytes(StandardCharsets.UTF_8), "login", url, "--token-stdin");
    assertThat(pasted.exit()).as(pasted.toString()).isZero();
    assertThat(pasted.stderr()).contains("as demo").doesNotContain(token);

    Map<String, Object> s = SandboxClient.json(cs.run("status", url, "--json").out());
    assertThat(s).containsEntry("kind", "session-token").containsEntry("user", "demo");
    Result t = cs.run("token", url);
    assertThat(t.exit()).as(t.toString()).isZero();
    assertThat(t.out().strip()).isEqualTo(token);
    assertThat(PROVIDER_OFF.client().stats()).containsEntry("token_requests",
        Map.of("authorization_code", 0, "refresh_token", 0));
  }

  @Test
  void dcrOffWithAnAdminCreatedAppWorks() throws Exception {
    String url = DCR_OFF.url();
    CoderSsh cs = new CoderSsh(dir).withSandboxBrowser("allow");
    Result noClient = cs.run("login", url);
    assertThat(noClient.exit()).as(noClient.toString()).isEqualTo(1);
    assertThat(errorLines(noClient, "login")).singleElement().asString()
        .contains("dynamic client registration is off", "--client-id");

    // An admin-created app has one callback URL; servers of the legacy profile compare its port,
    // so the admin picks one and the person passes it (the newest servers accept it too).
    int port = freePort();
    Sandbox.AppCredentials app = DCR_OFF.sandbox().createApp("coder-ssh (admin)",
        List.of("http://127.0.0.1:" + port + "/callback"), true, String.join(" ", DEFAULT_SCOPES));
    Path secret = dir.resolve("client-secret");
    Files.writeString(secret, app.clientSecret() + "\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    Result login = cs.run("login", url, "--client-id", app.clientId(), "--client-secret-file", secret.toString(),
        "--callback-port", String.valueOf(port));
    assertThat(login.exit()).as(login.toString()).isZero();
    assertThat(login.stderr()).contains("as demo").doesNotContain(app.clientSecret());
    assertThat(DCR_OFF.client().stats()).containsEntry("registrations", 0)
        .containsEntry("token_requests", Map.of("authorization_code", 1, "refresh_token", 0));
    assertThat(cs.credentials(url)).containsEntry("client_id", app.clientId());

    // The confidential client authenticates on refresh too.
    cs.ageAccessToken(url);
    DCR_OFF.sandbox().expireTokens("demo", true, false);
    Result t = cs.run("token", url);
    assertThat(t.exit()).as(t.toString()).isZero();
    assertThat(DCR_OFF.client().get("/api/v2/users/me", t.out().strip()).statusCode()).isEqualTo(200);
    assertThat(DCR_OFF.client().stats()).containsEntry("token_requests", Map.of("authorization_code", 1, "refresh_token", 1));
  }

  @Test
  void logoutTellsTheServerAndLeavesNothingSignedIn() {
    String url = SANDBOX.url();
    CoderSsh cs = new CoderSsh(dir).withSandboxBrowser("allow");
    Result login = cs.run("login", url);
    assertThat(login.exit()).as(login.toString()).isZero();
    String token = (String) cs.credentials(url).get("access_token");
    cs.withRecordingBrowser();

    Result out = cs.run("logout", url);
    assertThat(out.exit()).as(out.toString()).isZero();
    assertThat(out.out()).isEmpty();
    assertThat(out.stderr()).contains("Logged out of " + url).doesNotContain("could not be told", token);
    assertThat(cs.credentialsFile(url)).doesNotExist();
    // Revocation authenticates the client: on the legacy profile with the secret DCR issued.
    assertThat(SANDBOX.client().stats()).containsEntry("revocations", 1).containsEntry("valid_access_tokens", 0);
    assertThat(SANDBOX.client().get("/api/v2/users/me", token).statusCode()).as("the server forgot the token")
        .isEqualTo(401);

    Result t = cs.run("token", url);
    assertThat(t.exit()).as(t.toString()).isEqualTo(3);
    assertThat(t.out()).isEmpty();
    assertThat(cs.run("status", url).exit()).isEqualTo(3);
    assertThat(cs.browserLaunches()).isZero();
    Result again = cs.run("logout", url);
    assertThat(again.exit()).as(again.toString()).isZero();
    assertThat(again.stderr()).contains("Not signed in to " + url);
  }

  static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** The lines a failing command printed as its error ("coder-ssh CMD: ..."). */
  static List<String> errorLines(Result r, String command) {
    return r.stderr().lines().filter(l -> l.startsWith("coder-ssh " + command + ":")).toList();
  }
}
