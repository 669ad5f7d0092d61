package dev.coderssh.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.it.fixture.SandboxExtension;
import dev.coderssh.it.fixture.SshRunner;
import dev.coderssh.it.fixture.SshRunner.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/coder-ssh doctor URL} against the sandbox. ssh reads ~/.ssh/config from the passwd
 * entry's home, not $HOME, so the config goes to a temp file through config-ssh's and doctor's
 * {@code --ssh-config-file}; the user's own ~/.ssh is never touched.
 */
class DoctorIT {
  static final List<String> CHECKS = List.of("deployment", "provider", "metadata", "sign-in", "scopes", "cli", "ssh",
      "ssh-config");
  @RegisterExtension
  static final SandboxExtension SANDBOX = SandboxExtension.create();
  @RegisterExtension
  static final SandboxExtension PROVIDER_OFF = SandboxExtension.with(o -> o.withProvider(false));
  @TempDir
  Path dir;
  Path home;
  Path sshConfig;
  Map<String, String> env;

  @BeforeEach
  void paths() {
    home = dir.resolve("home");
    sshConfig = dir.resolve("ssh_config");
    env = ProxyItSupport.env(home);
  }

  private Result coderSsh(String... args) {
    List<String> argv = new ArrayList<>(List.of(ProxyItSupport.launcher()));
    argv.addAll(List.of(args));
    return SshRunner.run(argv, env, new byte[0], null);
  }

  private Result doctor(String url) {
    return coderSsh("doctor", "--ssh-config-file", sshConfig.toString(), url);
  }

  private void configSsh(String url) {
    Result r = coderSsh("config-ssh", "--ssh-config-file", sshConfig.toString(), "--yes", url);
    assertThat(r.exit()).as(r.toString()).isZero();
  }

  private static List<String> lines(Result r, String prefix) {
    return r.out().lines().filter(l -> l.startsWith(prefix)).toList();
  }

  @Test
  void everyCheckPassesAfterLoginAndConfigSsh() throws IOException {
    ProxyItSupport.login(SANDBOX, home);
    configSsh(SANDBOX.url());
    assertThat(Files.readString(sshConfig)).contains("coder-ssh").contains(" proxy ");
    Result r = doctor(SANDBOX.url());
    assertThat(r.exit()).as(r.toString()).isZero();
    for (String check : CHECKS) {
      assertThat(r.out()).as(r.toString()).contains("ok   " + check + ": ");
    }
    assertThat(lines(r, "FAIL")).isEmpty();
    assertThat(r.out()).contains("all checks passed", "ssh uses coder-ssh for coder.doctor-probe");
  }

  @Test
  void signedOutFailsNamingTheSignInCheck() {
    ProxyItSupport.login(SANDBOX, home);
    configSsh(SANDBOX.url());
    Result out = coderSsh("logout", SANDBOX.url());
    assertThat(out.exit()).as(out.toString()).isZero();
    Result r = doctor(SANDBOX.url());
    assertThat(r.exit()).as(r.toString()).isNotZero();
    assertThat(lines(r, "FAIL sign-in: ")).as(r.toString()).hasSize(1).first().asString()
        .contains("coder-ssh login " + SANDBOX.url());
    assertThat(r.out()).contains("ok   deployment: ", "ok   provider: ", "ok   ssh-config: ")
        .doesNotContain("all checks passed");
  }

  @Test
  void withoutTheGeneratedConfigTheSshConfigCheckFails() throws IOException {
    ProxyItSupport.login(SANDBOX, home);
    Files.writeString(sshConfig, "Host *\n  ServerAliveInterval 30\n");
    Result r = doctor(SANDBOX.url());
    assertThat(r.exit()).as(r.toString()).isNotZero();
    assertThat(lines(r, "FAIL")).as(r.toString()).hasSize(1).first().asString()
        .startsWith("FAIL ssh-config: ").contains("config-ssh");
  }

  @Test
  void providerOffFailsNamingTheProviderCheck() {
    Result r = doctor(PROVIDER_OFF.url());
    assertThat(r.exit()).as(r.toString()).isNotZero();
    assertThat(r.out()).as(r.toString()).contains("ok   deployment: ");
    assertThat(lines(r, "FAIL provider: ")).as(r.toString()).hasSize(1);
  }
}
