package dev.coderssh.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.it.fixture.SandboxClient;
import dev.coderssh.it.fixture.SandboxExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** /api/v2/deployment/ssh reports the deployment's configured host name prefix and suffix. */
class DeploymentSshTest {
  @RegisterExtension
  static final SandboxExtension SANDBOX =
      SandboxExtension.with(o -> o.withHostnamePrefix("ws-").withHostnameSuffix(""));

  @Test
  void theConfiguredPrefixAndSuffixAreReported() {
    SandboxClient c = SANDBOX.client();
    assertThat(SandboxClient.json(c.get("/api/v2/deployment/ssh", c.sessionToken()).body()))
        .isEqualTo(Map.of("hostname_prefix", "ws-", "hostname_suffix", "", "ssh_config_options", Map.of()));
  }
}
