package dev.coderssh.sandbox.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coderssh.it.fixture.SandboxClient;
import dev.coderssh.it.fixture.SandboxExtension;
import dev.coderssh.sandbox.faults.Fault;
import dev.coderssh.sandbox.faults.FaultKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The 60-a-minute limit on /oauth2/* and /.well-known/*, and the token endpoint's fault switches. */
class RateLimitAndFaultsTest {
  @RegisterExtension
  static final SandboxExtension SANDBOX = SandboxExtension.with(o -> o.withRateLimit(true));

  @Test
  void theSixtyFirstRequestInAMinuteIsRateLimitedWithCodersPlainMessage() {
    SandboxClient c = SANDBOX.client();
    for (int i = 0; i < 60; i++) {
      HttpResponse<String> r = c.token(Map.of("grant_type", "refresh_token"));
      assertThat(r.statusCode()).isNotEqualTo(429);
      assertThat(r.headers().firstValue("X-RateLimit-Remaining")).hasValue(Integer.toString(59 - i));
    }
    HttpResponse<String> limited = c.get("/oauth2/authorize", null);
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(SandboxClient.json(limited.body()))
        .isEqualTo(Map.of("message", "You've been rate limited for sending more than 60 requests in 1m0s."));
    assertThat(Integer.parseInt(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 60);
    // /.well-known/* is outside the /oauth2 bucket.
    assertThat(c.get("/.well-known/oauth-authorization-server", null).statusCode()).isEqualTo(200);
    assertThat(c.get("/api/v2/buildinfo", null).statusCode()).isEqualTo(200);
  }

  @Test
  void faultsApplyToTheNextRequestsInOrderThenTheEndpointRecovers() {
    SandboxClient c = SANDBOX.client();
    SandboxClient.Tokens t = c.login(null);
    Map<String, String> refresh = Map.of("grant_type", "refresh_token", "client_id", t.clientId(), "refresh_token",
        t.refreshToken());
    SANDBOX.sandbox().injectFault(new Fault(FaultKind.STATUS_503, 1, 7));
    SANDBOX.sandbox().injectFault(Fault.of(FaultKind.STATUS_500, 1));
    SANDBOX.sandbox().injectFault(Fault.of(FaultKind.INVALID_JSON, 1));
    SANDBOX.sandbox().injectFault(Fault.of(FaultKind.WRONG_CONTENT_TYPE, 1));
    SANDBOX.sandbox().injectFault(Fault.of(FaultKind.RESET, 1));
    SANDBOX.sandbox().injectFault(new Fault(FaultKind.HUGE_BODY, 1, 0));
    HttpResponse<String> r503 = c.token(refresh);
    assertThat(r503.statusCode()).isEqualTo(503);
    assertThat(r503.headers().firstValue("Retry-After")).hasValue("7");
    assertThat(c.token(refresh).statusCode()).isEqualTo(500);
    HttpResponse<String> badJson = c.token(refresh);
    assertThat(badJson.statusCode()).isEqualTo(200);
    assertThatThrownBy(() -> SandboxClient.json(badJson.body())).isInstanceOf(UncheckedIOException.class);
    assertThat(c.token(refresh).headers().firstValue("Content-Type")).hasValueSatisfying(
        v -> assertThat(v).startsWith("text/html"));
    assertThatThrownBy(() -> c.token(refresh)).hasCauseInstanceOf(IOException.class);
    assertThat(c.token(refresh).body().length()).isEqualTo(10 * 1024 * 1024);
    // The token was never used up by a fault, so it still refreshes.
    HttpResponse<String> ok = c.token(refresh);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(c.stats().get("token_requests")).isEqualTo(Map.of("authorization_code", 1, "refresh_token", 7));
  }

  @Test
  void missingFieldFaultsStillRotateTheTokens() {
    SandboxClient c = SANDBOX.client();
    SandboxClient.Tokens t = c.login(null);
    SANDBOX.sandbox().injectFault(Fault.of(FaultKind.MISSING_REFRESH_TOKEN, 1));
    Map<String, Object> noRefresh = SandboxClient.json(c.token(Map.of("grant_type", "refresh_token", "client_id",
        t.clientId(), "refresh_token", t.refreshToken())).body());
    assertThat(noRefresh).containsKey("access_token").doesNotContainKey("refresh_token");
    assertThat(c.token(Map.of("grant_type", "refresh_token", "client_id", t.clientId(), "refresh_token",
        t.refreshToken())).statusCode()).isEqualTo(400);
    SandboxClient.Tokens fresh = c.login(null);
    SANDBOX.sandbox().injectFault(Fault.of(FaultKind.MISSING_EXPIRES_IN, 1));
    Map<String, Object> noExpiry = SandboxClient.json(c.token(Map.of("grant_type", "refresh_token", "client_id",
        fresh.clientId(), "refresh_token", fresh.refreshToken())).body());
    assertThat(noExpiry).containsKeys("access_token", "refresh_token").doesNotContainKey("expires_in");
  }

  @Test
  void faultsCanBeInjectedOverTheTestApi() {
    SandboxClient c = SANDBOX.client();
    HttpResponse<String> r = c.postJson("/sandbox/faults", null, "[{\"kind\":\"status_429\",\"count\":2,\"param\":3}]");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(c.token(Map.of("grant_type", "refresh_token")).statusCode()).isEqualTo(429);
    assertThat(c.token(Map.of("grant_type", "refresh_token")).statusCode()).isEqualTo(429);
    // Faults used up: the endpoint answers normally again (no client: invalid_client).
    assertThat(c.token(Map.of("grant_type", "refresh_token")).statusCode()).isEqualTo(401);
  }

  @Test
  void delayStillAnswersAndHangDropsTheConnection() {
    SandboxClient c = SANDBOX.client();
    SandboxClient.Tokens t = c.login(null);
    Map<String, String> refresh = Map.of("grant_type", "refresh_token", "client_id", t.clientId(), "refresh_token",
        t.refreshToken());
    SANDBOX.sandbox().injectFault(new Fault(FaultKind.HANG, 1, 200));
    SANDBOX.sandbox().injectFault(new Fault(FaultKind.DELAY, 1, 50));
    assertThatThrownBy(() -> c.token(refresh)).hasCauseInstanceOf(IOException.class);
    assertThat(c.token(refresh).statusCode()).isEqualTo(200);
    assertThat(SANDBOX.sandbox().faults().pending()).isEmpty();
  }
}
