package dev.coderssh.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.it.fixture.CoderSsh;
import dev.coderssh.it.fixture.SandboxExtension;
import dev.coderssh.it.fixture.SshRunner;
import dev.coderssh.it.fixture.SshRunner.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's reproduction, with the real ssh, launcher and sandbox: another local user plants a
 * plan-cache entry (a command to run as the victim) where the victim's launcher would look. As
 * root (CI) the planted files really belong to another user (nobody); otherwise they are ours but
 * reached through the symlink or mode an attacker needs, which is what the checks refuse either way.
 */
class LocalAttackerIT {
  static final boolean ROOT = "root".equals(System.getProperty("user.name"));
  @RegisterExtension
  static final SandboxExtension SANDBOX = SandboxExtension.create();
  @TempDir
  Path dir;
  CoderSsh cs;
  SshRunner ssh;
  String url;

  @BeforeEach
  void signIn() throws IOException {
    url = SANDBOX.url();
    cs = new CoderSsh(dir).withSandboxBrowser("allow");
    Result login = cs.run("login", url);
    assertThat(login.exit()).as(login.toString()).isZero();
    cs.withRecordingBrowser();
    ssh = new SshRunner(dir, CoderSsh.launcher() + " proxy --url " + url + " %h");
  }

  private Path entry() throws IOException {
    try (Stream<Path> s = Files.list(cs.home().resolve("cache/plans"))) {
      return s.filter(p -> p.getFileName().toString().startsWith("p_")).findFirst().orElseThrow();
    }
  }

  private void echo() {
    Result r = ssh.ssh(cs.env(), "coder.dev", "echo ok");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("ok\n");
  }

  /** The victim's own entry, rewritten to run {@code pwned} instead of the CLI. */
  private List<String> hostile(Path entry, Path pwned) throws IOException {
    Path evil = dir.resolve("shared/evil");
    Files.writeString(evil, "#!/bin/sh\necho pwned > '" + pwned + "'\n");
    assertThat(evil.toFile().setExecutable(true, false)).isTrue();
    return Files.readAllLines(entry).stream()
        .map(l -> l.startsWith("arg ") && l.endsWith("/coder") ? "arg " + evil : l).toList();
  }

  private void plantedAs(Path file, List<String> lines) throws Exception {
    Files.write(file, lines);
    if (ROOT) {
      Process p = new ProcessBuilder("chown", "-R", "nobody", file.toString()).inheritIO().start();
      assertThat(p.waitFor()).isZero();
    }
  }

  /**
   * The attack is really in place where the victim's launcher looks: the entry for this argv
   * names the attacker's program, and (as root) belongs to another user.
   */
  private void assertPlanted(Path entry, Path evil) throws IOException {
    assertThat(Files.readAllLines(entry)).as("the planted entry").contains("arg " + evil).contains("coder-ssh-plan-end");
    if (ROOT) {
      assertThat(Files.getOwner(entry).getName()).isEqualTo("nobody");
    }
  }

  @Test
  void aPlanPlantedBehindASymlinkedCacheIsNeverRun() throws Exception {
    echo();
    Path pwned = dir.resolve("pwned");
    Path shared = Files.createDirectories(dir.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path entry = entry();
    List<String> lines = hostile(entry, pwned);
    // The attacker's cache: a world-writable directory, the victim's cache/ a symlink to it.
    Path theirs = Files.createDirectories(shared.resolve("cache/plans"));
    plantedAs(theirs.resolve(entry.getFileName()), lines);
    Path cache = cs.home().resolve("cache");
    Files.move(cache, dir.resolve("cache.orig"));
    Files.createSymbolicLink(cache, shared.resolve("cache"));
    assertPlanted(cache.resolve("plans").resolve(entry.getFileName()), dir.resolve("shared/evil"));

    Result r = ssh.ssh(cs.env(), "coder.dev", "echo ok");
    assertThat(pwned).as("the planted command ran as the victim").doesNotExist();
    // The launcher answered: its JVM ignored the cache it cannot trust and connected.
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("ok\n");
    assertThat(Files.readAllLines(cs.home().resolve("logs/proxy.log"))).last().asString().contains("proxy dev via ");
  }

  @Test
  void aPlanPlantedInAWorldWritableStateRootIsNeverRun() throws Exception {
    echo();
    Path pwned = dir.resolve("pwned");
    Files.setPosixFilePermissions(Files.createDirectories(dir.resolve("shared")), PosixFilePermissions.fromString("rwxrwxrwx"));
    Path entry = entry();
    List<String> lines = hostile(entry, pwned);
    Files.setPosixFilePermissions(cs.home(), PosixFilePermissions.fromString("rwxrwxrwx"));
    // With the root open to all, the attacker swaps in a cache of their own.
    Path cache = cs.home().resolve("cache");
    Files.move(cache, dir.resolve("cache.orig"));
    Path theirs = Files.createDirectories(cache.resolve("plans"));
    plantedAs(theirs.resolve(entry.getFileName()), lines);
    if (ROOT) {
      assertThat(new ProcessBuilder("chown", "-R", "nobody", cache.toString()).start().waitFor()).isZero();
    }
    assertPlanted(theirs.resolve(entry.getFileName()), dir.resolve("shared/evil"));

    Result r = ssh.ssh(cs.env(), "coder.dev", "echo ok");
    assertThat(pwned).as("the planted command ran as the victim").doesNotExist();
    // The JVM refuses the open root in one line; nothing reached the SSH stream.
    assertThat(r.exit()).as(r.toString()).isEqualTo(255);
    assertThat(r.stderr()).contains("writable by other users");
  }

  /**
   * Our own mistake, then its fix (issue 19): after `chmod -R 777` of the state and `chmod 700` of
   * its root (what the refusal says to run), the next connection works: the directories below are
   * restricted, and the CLI and class-data archive others could have rewritten are discarded and
   * made again rather than refused on every connection.
   */
  @Test
  void chmodSevenSevenSevenThenTheRootsRepairConnectsAgain() throws Exception {
    echo();
    assertThat(new ProcessBuilder("chmod", "-R", "777", cs.home().toString()).start().waitFor()).isZero();
    Result refused = ssh.ssh(cs.env(), "coder.dev", "echo ok");
    assertThat(refused.exit()).as(refused.toString()).isEqualTo(255);
    assertThat(refused.stderr()).contains("chmod 700 " + cs.home());
    Files.setPosixFilePermissions(cs.home(), PosixFilePermissions.fromString("rwx------"));

    Result r = ssh.ssh(cs.env(), "coder.dev", "echo ok");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("ok\n");
    assertThat(r.stderr()).contains("discarded the downloaded Coder CLI");
    for (String d : List.of("credentials", "cache", "cache/plans", "cli", "logs")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cs.home().resolve(d)))).as(d)
          .isEqualTo("rwx------");
    }
    echo();
  }
}
