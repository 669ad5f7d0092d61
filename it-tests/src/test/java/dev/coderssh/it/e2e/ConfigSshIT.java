package dev.coderssh.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.it.fixture.CoderSsh;
import dev.coderssh.it.fixture.SandboxExtension;
import dev.coderssh.it.fixture.SshRunner;
import dev.coderssh.it.fixture.SshRunner.Result;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coder-ssh config-ssh} against the sandbox, then the real OpenSSH client reading the file
 * it wrote: the entries resolve to our ProxyCommand, {@code ssh dev.coder} connects through it, a
 * workspace added to the deployment appears after the next run, and {@code --remove} gives back
 * the user's file byte for byte.
 */
class ConfigSshIT {
  @RegisterExtension
  static final SandboxExtension SANDBOX = SandboxExtension.create();
  /** A user's own config: CRLF, a comment, a Host block, no trailing newline. */
  static final String USERS_OWN = "# my settings\r\nHost build-box\r\n  HostName 10.0.0.7\r\n  User me";

  @TempDir
  Path dir;

  @Test
  void writesEntriesSshUsesAndRemovesThemAgain() throws Exception {
    String url = SANDBOX.url();
    CoderSsh cs = new CoderSsh(dir).withSandboxBrowser("allow");
    assertThat(cs.run("login", url).exit()).isZero();
    cs.withRecordingBrowser();
    Path config = dir.resolve("ssh_config");
    Files.write(config, USERS_OWN.getBytes(StandardCharsets.UTF_8));
    byte[] original = Files.readAllBytes(config);

    Result written = cs.run("config-ssh", url, "--ssh-config-file", config.toString());
    assertThat(written.exit()).as(written.toString()).isZero();
    String text = Files.readString(config);
    String hostPort = URI.create(url).getAuthority();
    assertThat(text).startsWith(USERS_OWN)
        .contains("# --- START CODER-SSH " + hostPort + " ---", "# --- END CODER-SSH " + hostPort + " ---")
        // The deployment's hostname suffix (real default: coder) names the hosts, as coder config-ssh does.
        .contains("Host coder.*", "Host *.coder", "dev.coder", "multi.gpu.coder", "multi.main.coder", "stopped.coder")
        .doesNotContain("added.coder");

    // What OpenSSH itself makes of the file: our launcher as ProxyCommand for the listed host.
    Result g = SshRunner.run(List.of("ssh", "-G", "-F", config.toString(), "dev.coder"), cs.env(), new byte[0], null);
    assertThat(g.exit()).as(g.toString()).isZero();
    assertThat(g.out().lines().filter(l -> l.startsWith("proxycommand ")).toList()).singleElement().asString()
        .isEqualTo("proxycommand " + CoderSsh.launcher() + " proxy --url " + url + " --hostname-suffix coder %h");
    assertThat(g.out()).contains("stricthostkeychecking false", "userknownhostsfile /dev/null");
    // And a real connection through the file as written (BatchMode only so nothing could prompt).
    Result ok = SshRunner.run(List.of("ssh", "-F", config.toString(), "-o", "BatchMode=yes", "dev.coder", "echo ok"),
        cs.env(), new byte[0], null);
    assertThat(ok.exit()).as(ok.toString()).isZero();
    assertThat(ok.out()).isEqualTo("ok\n");
    Result agent = SshRunner.run(List.of("ssh", "-F", config.toString(), "-o", "BatchMode=yes", "multi.gpu.coder",
        "echo $CODER_WORKSPACE_AGENT_NAME"), cs.env(), new byte[0], null);
    assertThat(agent.out()).as(agent.toString()).isEqualTo("gpu\n");

    SANDBOX.sandbox().addWorkspace("demo", "added", List.of("main"), true);
    Result again = cs.run("config-ssh", url, "--ssh-config-file", config.toString());
    assertThat(again.exit()).as(again.toString()).isZero();
    assertThat(Files.readString(config)).startsWith(USERS_OWN).contains("added.coder");
    Result added = SshRunner.run(List.of("ssh", "-F", config.toString(), "-o", "BatchMode=yes", "added.coder", "hostname"),
        cs.env(), new byte[0], null);
    assertThat(added.out()).as(added.toString()).isEqualTo("added\n");

    Result removed = cs.run("config-ssh", url, "--ssh-config-file", config.toString(), "--remove");
    assertThat(removed.exit()).as(removed.toString()).isZero();
    assertThat(Files.readAllBytes(config)).as("the user's bytes, exactly").isEqualTo(original);
  }

  /**
   * The hostname suffix given on the command line (here the deployment's own, {@code coder}): ssh reaches {@code dev.coder} and {@code multi.gpu.coder} through the
   * {@code Host *.coder} section, and {@code coder.dev} still through {@code Host coder.*}.
   */
  @Test
  void theSuffixFormConnectsBesideThePrefixForm() throws Exception {
    String url = SANDBOX.url();
    CoderSsh cs = new CoderSsh(dir).withSandboxBrowser("allow");
    assertThat(cs.run("login", url).exit()).isZero();
    Path config = dir.resolve("ssh_config");
    Result written = cs.run("config-ssh", url, "--ssh-config-file", config.toString(), "--hostname-suffix", "coder");
    assertThat(written.exit()).as(written.toString()).isZero();
    assertThat(Files.readString(config)).contains("Host coder.*", "Host *.coder", "dev.coder", "multi.gpu.coder");
    for (String[] hostAndWant : new String[][] {{"dev.coder", "dev"}, {"multi.gpu.coder", "gpu"}, {"coder.dev", "dev"}}) {
      Result r = SshRunner.run(List.of("ssh", "-F", config.toString(), "-o", "BatchMode=yes", hostAndWant[0],
          "echo ${CODER_WORKSPACE_AGENT_NAME:-x} $(hostname)"), cs.env(), new byte[0], null);
      assertThat(r.exit()).as(r.toString()).isZero();
      assertThat(r.out()).as(hostAndWant[0]).contains(hostAndWant[1]);
    }
  }
}
