package dev.coderssh.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.it.fixture.CoderSsh;
import dev.coderssh.it.fixture.RepoPaths;
import dev.coderssh.it.fixture.SandboxExtension;
import dev.coderssh.it.fixture.SshRunner;
import dev.coderssh.it.fixture.SshRunner.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release as a user gets it: the archive the build made, unpacked and installed with
 * {@code install.sh --prefix} on a PATH with no {@code java} and no {@code mvn}; then login,
 * config-ssh and ssh through the installed copy against the sandbox; then a newer build installed
 * over it, with the ssh config written earlier still connecting; then {@code --uninstall} leaves
 * nothing under the prefix.
 */
class ReleaseArchiveIT {
  @RegisterExtension
  static final SandboxExtension SANDBOX = SandboxExtension.create();
  /** The size budget build-release enforces, checked again on what it produced. */
  static final long PACKED_BUDGET = 45L * 1024 * 1024;

  @TempDir
  Path dir;

  @Test
  void installsLogsInConnectsUpgradesAndUninstalls() throws Exception {
    try {
      installThenUpgradeThenUninstall();
    } finally {
      // The PATH's symlinks go first: JUnit warns about each link that points out of its temp dir.
      deleteLinks(dir.resolve("tools"));
    }
  }

  private void installThenUpgradeThenUninstall() throws Exception {
    Path archive = archive(RepoPaths.root().resolve("dist/target"));
    assertThat(Files.size(archive)).as("archive size").isLessThan(PACKED_BUDGET);
    String version = archive.getFileName().toString().replaceAll("^coder-ssh-(.*)-linux-x64\\.tar\\.gz$", "$1");
    Path tools = toolsWithoutJavaOrMaven();
    Map<String, String> user = Map.of("PATH", tools.toString(), "JAVA_HOME", "", "HOME", dir.toString());
    assertThat(run(List.of("sh", "-c", "command -v java || command -v mvn"), user).exit()).isNotZero();

    Path prefix = dir.resolve("prefix");
    Result installed = install(archive, "first", prefix, user);
    assertThat(installed.exit()).as(installed.toString()).isZero();
    Path stable = prefix.resolve("bin/coder-ssh");
    assertThat(Files.readSymbolicLink(stable)).isEqualTo(prefix.resolve("lib/coder-ssh/" + version + "/bin/coder-ssh"));

    String url = SANDBOX.url();
    CoderSsh cs = new CoderSsh(dir.resolve("user")).withSandboxBrowser("allow").withLauncher(stable);
    user.forEach(cs::env);
    // The scripted browser is a test tool, not part of the install: it may use the JDK.
    cs.env("BROWSER", browserWithJdk().toString());
    Result v = cs.run("--version");
    assertThat(v.out()).as(v.toString()).startsWith("coder-ssh " + version + "\ncommit ")
        .contains(" at " + prefix.resolve("lib/coder-ssh/" + version + "/runtime"));
    Result login = cs.run("login", url);
    assertThat(login.exit()).as(login.toString()).isZero();
    cs.withRecordingBrowser();

    Path config = dir.resolve("ssh_config");
    Result written = cs.run("config-ssh", url, "--ssh-config-file", config.toString());
    assertThat(written.exit()).as(written.toString()).isZero();
    assertThat(written.stderr()).doesNotContain("source tree");
    Result g = SshRunner.run(List.of("ssh", "-G", "-F", config.toString(), "coder.dev"), cs.env(), new byte[0], null);
    assertThat(g.out().lines().filter(l -> l.startsWith("proxycommand ")).toList()).singleElement().asString()
        .isEqualTo("proxycommand " + stable + " proxy --url " + url + " %h");
    assertConnects(config, cs);
    assertThat(files(cs.home().resolve("cache"))).as("the shipped class-data archive is used: none recorded at first run")
        .noneMatch(p -> p.getFileName().toString().endsWith(".jsa"));

    // A newer build, by the same script the build runs, installed over the first.
    String next = version + "-next";
    Path nextOut = dir.resolve("next-build");
    Result built = run(List.of("sh", RepoPaths.root().resolve("dist/build-release").toString(), "--version", next,
        "--jar", RepoPaths.root().resolve("ssh-proxy/target/coder-ssh.jar").toString(), "--out", nextOut.toString()),
        Map.of());
    assertThat(built.exit()).as(built.toString()).isZero();
    Result upgraded = install(nextOut.resolve("coder-ssh-" + next + "-linux-x64.tar.gz"), "second", prefix, user);
    assertThat(upgraded.exit()).as(upgraded.toString()).isZero();
    try (Stream<Path> s = Files.list(prefix.resolve("lib/coder-ssh"))) {
      assertThat(s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList()).containsExactly(next);
    }
    // The same jar under a newer version: the runtime it runs on says which install answered.
    assertThat(cs.run("--version").out()).contains(" at " + prefix.resolve("lib/coder-ssh/" + next + "/runtime"));
    assertConnects(config, cs);

    Result gone = run(List.of("sh", prefix.resolve("lib/coder-ssh/" + next + "/install.sh").toString(), "--uninstall",
        "--prefix", prefix.toString()), cs.env());
    assertThat(gone.exit()).as(gone.toString()).isZero();
    assertThat(gone.stderr()).contains(cs.home().toString());
    assertThat(files(prefix)).as("nothing of the install is left").isEmpty();
    try (Stream<Path> s = Files.list(prefix)) {
      assertThat(s.toList()).as("not even its directories").isEmpty();
    }
    assertThat(cs.home().resolve("credentials")).as("sign-ins are kept unless --purge").isDirectory();
  }

  @Test
  void installShRefusesWhatIsNotItsOwnAndLeavesItAlone() throws Exception {
    String script = stagedInstallSh();
    Path prefix = dir.resolve("prefix");
    Map<String, String> env = Map.of("HOME", dir.toString(), "CODER_SSH_HOME", dir.resolve("state").toString());

    Result usage = run(List.of("sh", script, "--purge"), env);
    assertThat(usage.exit()).isEqualTo(2);
    Result help = run(List.of("sh", script, "--help"), env);
    assertThat(help.exit()).as(help.toString()).isZero();
    assertThat(help.out()).startsWith("usage: install.sh ");
    assertThat(run(List.of("sh", script, "--frobnicate"), env).exit()).isEqualTo(2);
    Result absent = run(List.of("sh", script, "--uninstall", "--prefix", prefix.toString()), env);
    assertThat(absent.exit()).isEqualTo(4);
    assertThat(absent.stderr()).isEqualTo("install.sh: coder-ssh is not installed under " + prefix + "\n");

    Path mine = Files.createDirectories(prefix.resolve("bin")).resolve("coder-ssh");
    Files.writeString(mine, "#!/bin/sh\necho my own\n");
    Result refused = run(List.of("sh", script, "--prefix", prefix.toString()), env);
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.stderr()).contains("is not a coder-ssh install");
    assertThat(Files.readString(mine)).isEqualTo("#!/bin/sh\necho my own\n");
    assertThat(prefix.resolve("lib")).doesNotExist();
  }

  /**
   * --purge deletes what coder-ssh wrote, by name, in the state $HOME names (the same rule as the
   * launcher and the JVM: issue 19), and leaves the user's own files, even in a logs/ or cache/;
   * a completion file install.sh did not make is neither overwritten nor deleted.
   */
  @Test
  void purgeDeletesWhatCoderSshWroteAndNothingElse() throws Exception {
    String script = stagedInstallSh();
    Path prefix = dir.resolve("prefix");
    Path home = dir.resolve("elsewhere");
    Path state = home.resolve(".config/coder-ssh");
    Files.createDirectories(state.resolve("credentials"));
    Files.writeString(state.resolve("credentials/x.json"), "{}");
    Files.createDirectories(state.resolve("cache/plans"));
    Files.writeString(state.resolve("cache/plans/p_proxy x"), "entry");
    Files.writeString(state.resolve("cache/cds_a_b.jsa"), "archive");
    Files.createDirectories(state.resolve("logs"));
    Files.writeString(state.resolve("logs/proxy.log"), "log");
    Files.createDirectories(state.resolve("cli/https_x_443/config"));
    Files.writeString(state.resolve("cli/https_x_443/coder"), "cli");
    Path unrelated = Files.writeString(state.resolve("notes.txt"), "mine");
    Path myLog = Files.writeString(state.resolve("logs/mine.log"), "mine");
    Path myCache = Files.writeString(state.resolve("cache/mine"), "mine");
    Path myCompletion = Files.createDirectories(prefix.resolve("share/bash-completion/completions")).resolve("coder-ssh");
    Files.writeString(myCompletion, "# my own\n");
    Map<String, String> env = Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", "");

    Result installed = run(List.of("sh", script, "--prefix", prefix.toString()), env);
    assertThat(installed.exit()).as(installed.toString()).isZero();
    assertThat(installed.stderr()).contains(myCompletion + " exists and is not one install.sh made");
    assertThat(myCompletion).hasContent("# my own\n");
    assertThat(prefix.resolve("share/zsh/site-functions/_coder-ssh")).exists();
    Result again = run(List.of("sh", script, "--prefix", prefix.toString()), env);
    assertThat(again.exit()).as(again.toString()).isZero();
    assertThat(myCompletion).hasContent("# my own\n");
    Result purged = run(List.of("sh", script, "--uninstall", "--purge", "--prefix", prefix.toString()), env);
    assertThat(purged.exit()).as(purged.toString()).isZero();
    assertThat(purged.stderr()).contains("deleted the sign-ins, client registrations and caches in " + state + ";");
    assertThat(state.resolve("credentials")).doesNotExist();
    assertThat(state.resolve("cli")).doesNotExist();
    assertThat(state.resolve("cache/plans")).doesNotExist();
    assertThat(state.resolve("cache/cds_a_b.jsa")).doesNotExist();
    assertThat(state.resolve("logs/proxy.log")).doesNotExist();
    assertThat(unrelated).hasContent("mine");
    assertThat(myLog).hasContent("mine");
    assertThat(myCache).hasContent("mine");
    assertThat(myCompletion).hasContent("# my own\n");
    assertThat(files(prefix)).containsExactly(myCompletion);
  }

  /**
   * Every command's help and the version through the installed launcher, as a user runs them: on
   * stdout (issue 19: `proxy --help` went to stderr), exit 0, nothing on stderr. The list is the
   * README's, written here rather than taken from the code under test.
   */
  @Test
  void everyCommandsHelpAndTheVersionThroughTheInstalledLauncher() throws Exception {
    Path archive = archive(RepoPaths.root().resolve("dist/target"));
    String version = archive.getFileName().toString().replaceAll("^coder-ssh-(.*)-linux-x64\\.tar\\.gz$", "$1");
    Path prefix = dir.resolve("prefix");
    Map<String, String> env = Map.of("HOME", dir.toString(), "CODER_SSH_HOME", dir.resolve("state").toString());
    Result installed = install(archive, "surface", prefix, env);
    assertThat(installed.exit()).as(installed.toString()).isZero();
    String stable = prefix.resolve("bin/coder-ssh").toString();
    List<String> commands = List.of("login", "logout", "status", "token", "proxy", "doctor", "completion", "config-ssh");
    for (String c : commands) {
      for (List<String> asked : List.of(List.of(c, "--help"), List.of(c, "-h"), List.of("help", c))) {
        List<String> argv = new ArrayList<>(List.of(stable));
        argv.addAll(asked);
        Result r = run(argv, env);
        assertThat(r.exit()).as(asked + ": " + r).isZero();
        assertThat(r.out()).as(asked + ": " + r).startsWith("Usage: coder-ssh " + c + " ");
        assertThat(r.stderr()).as(asked.toString()).isEmpty();
      }
    }
    for (String asked : List.of("--help", "-h", "help")) {
      Result r = run(List.of(stable, asked), env);
      assertThat(r.exit()).as(asked + ": " + r).isZero();
      assertThat(r.out()).as(asked).contains(commands);
      assertThat(r.stderr()).as(asked).isEmpty();
    }
    for (String asked : List.of("--version", "version")) {
      Result r = run(List.of(stable, asked), env);
      assertThat(r.exit()).as(asked + ": " + r).isZero();
      assertThat(r.out()).as(asked).startsWith("coder-ssh " + version + "\ncommit ");
      assertThat(r.stderr()).as(asked).isEmpty();
    }
  }

  private static void assertConnects(Path config, CoderSsh cs) {
    Result ok = SshRunner.run(List.of("ssh", "-F", config.toString(), "-o", "BatchMode=yes", "coder.dev", "echo ok"),
        cs.env(), new byte[0], null);
    assertThat(ok.exit()).as(ok.toString()).isZero();
    assertThat(ok.out()).isEqualTo("ok\n");
  }

  private Result install(Path archive, String name, Path prefix, Map<String, String> env) throws IOException {
    Path unpack = Files.createDirectories(dir.resolve("unpack-" + name));
    Result tar = run(List.of("tar", "xzf", archive.toString(), "-C", unpack.toString()), env);
    assertThat(tar.exit()).as(tar.toString()).isZero();
    Path release;
    try (Stream<Path> s = Files.list(unpack)) {
      release = s.findFirst().orElseThrow();
    }
    return run(List.of("sh", release.resolve("install.sh").toString(), "--prefix", prefix.toString()), env);
  }

  /** install.sh in the release directory the build staged beside the archive. */
  private static String stagedInstallSh() throws IOException {
    Path target = RepoPaths.root().resolve("dist/target");
    String name = archive(target).getFileName().toString().replace("-linux-x64.tar.gz", "");
    return target.resolve(name).resolve("install.sh").toString();
  }

  private static Path archive(Path target) throws IOException {
    try (Stream<Path> s = Files.list(target)) {
      List<Path> found = s.filter(p -> p.getFileName().toString().matches("coder-ssh-.*-linux-x64\\.tar\\.gz")).toList();
      assertThat(found).as("the archive dist builds (mvn package)").hasSize(1);
      return found.get(0);
    }
  }

  /** Every command of /usr/bin and /bin except the JDK's and Maven's. */
  private Path toolsWithoutJavaOrMaven() throws IOException {
    Path tools = Files.createDirectories(dir.resolve("tools"));
    Path jdk = Path.of(System.getProperty("java.home")).toRealPath();
    for (String d : List.of("/usr/bin", "/bin")) {
      try (Stream<Path> s = Files.list(Path.of(d))) {
        for (Path p : (Iterable<Path>) s::iterator) {
          String name = p.getFileName().toString();
          Path link = tools.resolve(name);
          if (Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS) || name.startsWith("mvn")
              || !Files.isExecutable(p) || p.toRealPath().startsWith(jdk.getParent()) || p.toRealPath().toString().contains("maven")) {
            continue;
          }
          Files.createSymbolicLink(link, p);
        }
      }
    }
    return tools;
  }

  private Path browserWithJdk() throws IOException {
    Path b = dir.resolve("browser-with-jdk");
    Files.writeString(b, "#!/bin/sh\nJAVA_HOME='" + System.getProperty("java.home") + "' exec '"
        + RepoPaths.dev("sandbox-browser") + "' \"$@\"\n");
    Files.setPosixFilePermissions(b, PosixFilePermissions.fromString("rwx------"));
    return b;
  }

  private static void deleteLinks(Path tools) throws IOException {
    if (Files.isDirectory(tools)) {
      try (Stream<Path> s = Files.list(tools)) {
        for (Path p : (Iterable<Path>) s::iterator) {
          Files.delete(p);
        }
      }
    }
  }

  private static List<Path> files(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> !Files.isDirectory(p)).toList();
    }
  }

  private static Result run(List<String> argv, Map<String, String> env) {
    Map<String, String> all = new LinkedHashMap<>(env);
    return SshRunner.run(new ArrayList<>(argv), all, new byte[0], null);
  }
}
