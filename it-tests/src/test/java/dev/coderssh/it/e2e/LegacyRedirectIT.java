package dev.coderssh.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.scope.ScopeCatalog;
import dev.coderssh.it.fixture.CoderSsh;
import dev.coderssh.it.fixture.RepoPaths;
import dev.coderssh.it.fixture.SandboxClient;
import dev.coderssh.it.fixture.SandboxExtension;
import dev.coderssh.it.fixture.SshRunner;
import dev.coderssh.it.fixture.SshRunner.Result;
import dev.coderssh.sandbox.Profile;
import dev.coderssh.sandbox.Sandbox;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sign-in against servers that compare the loopback redirect's port (the {@code legacy} profile,
 * pinned: older coderd's {@code httpapi.RedirectURL} wants host and port equal to the registered
 * callback). {@code coder-ssh login} points its own registration at the exact ephemeral URI first
 * (RFC 7592 update), and an admin-created app is served on its one callback port
 * ({@code --callback-port}). Without that, the browser stops at a plain 400 page.
 */
class LegacyRedirectIT {
  @RegisterExtension
  static final SandboxExtension SANDBOX = SandboxExtension.profile(Profile.LEGACY, o -> o);
  @RegisterExtension
  static final SandboxExtension DCR_OFF = SandboxExtension.profile(Profile.LEGACY, o -> o.withDcr(false));
  static final Pattern REDIRECT = Pattern.compile("redirect_uri=http%3A%2F%2F127\\.0\\.0\\.1%3A(\\d+)%2Fcallback&");

  @TempDir
  Path dir;

  @Test
  void loginCompletesOnEachEphemeralPortWithOneRegistration() {
    String url = SANDBOX.url();
    CoderSsh cs = new CoderSsh(dir).withSandboxBrowser("allow");
    Result first = cs.run("login", url);
    assertThat(first.exit()).as(first.toString()).isZero();
    assertThat(first.stderr()).contains("Signed in to " + url + " as demo");
    Result second = cs.run("login", url);
    assertThat(second.exit()).as(second.toString()).isZero();
    int firstPort = redirectPort(first);
    int secondPort = redirectPort(second);
    assertThat(List.of(firstPort, secondPort)).as("ephemeral ports, not a fixed one").doesNotContain(80);
    // Both sign-ins came back to their own port through one registration, updated in place.
    assertThat(SANDBOX.client().stats()).containsEntry("registrations", 1)
        .containsEntry("token_requests", Map.of("authorization_code", 2, "refresh_token", 0));
    assertThat(cs.credentials(url)).containsKey("access_token");
  }

  @Test
  void withoutTheFixTheBrowserStopsAtThe400PageAndIsNotRedirected() {
    SandboxClient api = SANDBOX.client();
    // What a client that registers once and then listens on any port does (the first edition).
    SandboxClient.Registration reg = api.registerPublic(null);
    SandboxClient.Pkce pkce = api.pkce();
    String elsewhere = "http://127.0.0.1:" + 49_151 + "/callback";
    String authorize = api.authorizeUrl(reg.clientId(), elsewhere, null, pkce.challenge(), "st");

    HttpResponse<String> page = api.authorizePage(authorize);
    assertThat(page.statusCode()).as(page.body()).isEqualTo(400);
    assertThat(page.body()).contains("must be a subset of " + SandboxClient.REDIRECT);
    assertThat(page.headers().firstValue("Location")).as("no redirect").isEmpty();
    // The same request with the registered URI reaches the consent page: the port alone decided.
    HttpResponse<String> registered = api.authorizePage(api.authorizeUrl(reg.clientId(), SandboxClient.REDIRECT,
        null, pkce.challenge(), "st"));
    assertThat(registered.statusCode()).isEqualTo(200);
    assertThat(registered.body()).contains("csrf_token");

    // The person's browser (scripted) sees the same page and goes nowhere.
    Result browser = SshRunner.run(List.of(RepoPaths.dev("sandbox-browser").toString(), authorize),
        Map.of("SANDBOX_BROWSER_ACTION", "allow"), new byte[0], null);
    assertThat(browser.exit()).as(browser.toString()).isEqualTo(1);
    assertThat(browser.stderr()).contains("status 400", "must be a subset of " + SandboxClient.REDIRECT)
        .doesNotContain("following the redirect");
    assertThat(api.stats()).containsEntry("token_requests", Map.of("authorization_code", 0, "refresh_token", 0));
  }

  @Test
  void anAdminCreatedAppIsServedOnItsOneCallbackPort() throws Exception {
    String url = DCR_OFF.url();
    int port = LoginIT.freePort();
    Sandbox.AppCredentials app = DCR_OFF.sandbox().createApp("coder-ssh (admin)",
        List.of("http://127.0.0.1:" + port + "/callback"), true, String.join(" ", ScopeCatalog.DEFAULT));
    Path secret = dir.resolve("client-secret");
    Files.writeString(secret, app.clientSecret() + "\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    CoderSsh cs = new CoderSsh(dir).withSandboxBrowser("allow");

    // Without --callback-port the browser comes back to an ephemeral port the server refuses:
    // login can only wait, so a short timeout ends it with one line and nothing stored.
    Result unaligned = cs.run("login", url, "--client-id", app.clientId(), "--client-secret-file", secret.toString(),
        "--timeout", "4s");
    assertThat(unaligned.exit()).as(unaligned.toString()).isEqualTo(1);
    assertThat(LoginIT.errorLines(unaligned, "login")).as(unaligned.stderr()).hasSize(1);
    assertThat(unaligned.stderr()).doesNotContain("Exception", app.clientSecret());
    assertThat(cs.credentialsFile(url)).doesNotExist();

    Result login = cs.run("login", url, "--client-id", app.clientId(), "--client-secret-file", secret.toString(),
        "--callback-port", String.valueOf(port));
    assertThat(login.exit()).as(login.toString()).isZero();
    assertThat(redirectPort(login)).isEqualTo(port);
    assertThat(login.stderr()).contains("as demo").doesNotContain(app.clientSecret());
    // The app and its port are remembered: a plain login later comes back to the same place.
    Result again = cs.run("login", url);
    assertThat(again.exit()).as(again.toString()).isZero();
    assertThat(redirectPort(again)).isEqualTo(port);
    assertThat(DCR_OFF.client().stats()).containsEntry("registrations", 0)
        .containsEntry("token_requests", Map.of("authorization_code", 2, "refresh_token", 0));

    // The confidential client authenticates on refresh and on revocation too.
    cs.withRecordingBrowser();
    cs.ageAccessToken(url);
    DCR_OFF.sandbox().expireTokens("demo", true, false);
    Result t = cs.run("token", url);
    assertThat(t.exit()).as(t.toString()).isZero();
    assertThat(DCR_OFF.client().get("/api/v2/users/me", t.out().strip()).statusCode()).isEqualTo(200);
    Result out = cs.run("logout", url);
    assertThat(out.exit()).as(out.toString()).isZero();
    assertThat(out.stderr()).doesNotContain("could not be told");
    assertThat(DCR_OFF.client().stats()).containsEntry("revocations", 1).containsEntry("valid_access_tokens", 0)
        .containsEntry("token_errors", Map.of());
  }

  /** The port of the redirect_uri in the authorize URL login printed. */
  private static int redirectPort(Result login) {
    Matcher m = REDIRECT.matcher(login.stderr());
    assertThat(m.find()).as(login.stderr()).isTrue();
    return Integer.parseInt(m.group(1));
  }
}
