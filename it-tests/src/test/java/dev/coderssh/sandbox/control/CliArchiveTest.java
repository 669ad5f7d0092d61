package dev.coderssh.sandbox.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.it.fixture.SandboxExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stand-in CLI's wrapper and its class-data-sharing archive, with real processes: the first
 * {@code ssh} run records the archive, later runs map it, and a damaged or outdated archive is
 * never fatal and never reaches stdout (the SSH stream).
 */
class CliArchiveTest {
  @RegisterExtension
  static final SandboxExtension SANDBOX = SandboxExtension.create();
  /** A safety net against a hung CLI, not a timing assertion. */
  private static final long GUARD_SECONDS = 120;

  @TempDir
  Path dir;

  record Run(int exit, byte[] stdout, String stderr) {
    String out() {
      return new String(stdout, StandardCharsets.UTF_8);
    }
  }

  @Test
  void anSshRunRecordsTheArchiveAndTheNextRunMapsIt() throws Exception {
    Path coder = wrapper();
    assertThat(archives()).isEmpty();
    Run first = ssh(coder);
    assertThat(first.exit()).as(first.stderr()).isZero();
    assertThat(first.out()).startsWith("SSH-2.0-");
    assertThat(archives()).hasSize(1);
    assertThat(leftovers()).isEmpty();
    assertThat(mapsWhileRelaying(coder)).contains(archives().get(0).toString());
  }

  @Test
  void aVersionRunRecordsNoArchive() throws Exception {
    Run v = run(wrapper(), "version");
    assertThat(v.exit()).isZero();
    assertThat(v.out()).isEqualTo("Coder " + dev.coderssh.sandbox.SandboxOptions.VERSION + " (sandbox stand-in CLI)\n");
    assertThat(archives()).isEmpty();
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void aCorruptArchiveIsIgnoredAndNeverPrintsToStdout() throws Exception {
    Path coder = wrapper();
    assertThat(ssh(coder).exit()).isZero();
    Path jsa = archives().get(0);
    Files.setPosixFilePermissions(jsa, PosixFilePermissions.fromString("rw-r--r--"));
    Files.write(jsa, "not a CDS archive, just garbage".repeat(100).getBytes(StandardCharsets.UTF_8));
    Run v = run(coder, "version");
    assertThat(v.exit()).as(v.stderr()).isZero();
    assertThat(v.out()).isEqualTo("Coder " + dev.coderssh.sandbox.SandboxOptions.VERSION + " (sandbox stand-in CLI)\n");
    Run s = ssh(coder);
    assertThat(s.exit()).as(s.stderr()).isZero();
    assertThat(s.out()).startsWith("SSH-2.0-");
  }

  @Test
  void anArchiveOlderThanTheJarIsRemade() throws Exception {
    Path coder = wrapper();
    assertThat(ssh(coder).exit()).isZero();
    Path jsa = archives().get(0);
    Path jar = jar();
    // As if the jar had been rewritten after the archive was made (the JVM would refuse the
    // archive): both times in the past, so the remade archive is newer than the jar again.
    long now = System.currentTimeMillis();
    Files.setLastModifiedTime(jsa, FileTime.fromMillis(now - 60_000));
    Files.setLastModifiedTime(jar, FileTime.fromMillis(now - 30_000));
    Run s = ssh(coder);
    assertThat(s.exit()).as(s.stderr()).isZero();
    assertThat(s.out()).startsWith("SSH-2.0-");
    assertThat(Files.getLastModifiedTime(jsa)).isGreaterThan(Files.getLastModifiedTime(jar));
    assertThat(leftovers()).isEmpty();
    assertThat(mapsWhileRelaying(coder)).contains(jsa.toString());
  }

  @Test
  void theJarIsReusedWhileTheClassesAreTheSame() throws Exception {
    CliBinary one = new CliBinary(dir.resolve("cache"));
    FileTime written = Files.getLastModifiedTime(jar());
    CliBinary two = new CliBinary(dir.resolve("cache"));
    assertThat(two.script()).isEqualTo(one.script());
    assertThat(Files.getLastModifiedTime(jar())).isEqualTo(written);
    try (Stream<Path> files = Files.list(dir.resolve("cache"))) {
      assertThat(files.toList()).hasSize(1);
    }
  }

  // ---------------------------------------------------------------------------------------------

  private Path wrapper() throws IOException {
    Path p = dir.resolve("coder");
    Files.writeString(p, new CliBinary(dir.resolve("cache")).script());
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    return p;
  }

  private Path jar() throws IOException {
    return only(".jar");
  }

  private List<Path> archives() throws IOException {
    return list(".jsa");
  }

  private List<Path> leftovers() throws IOException {
    return list(".tmp");
  }

  private Path only(String suffix) throws IOException {
    List<Path> l = list(suffix);
    assertThat(l).hasSize(1);
    return l.get(0);
  }

  private List<Path> list(String suffix) throws IOException {
    Path cache = dir.resolve("cache");
    if (!Files.isDirectory(cache)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(cache)) {
      return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
    }
  }

  private static ProcessBuilder sshCommand(Path coder) {
    ProcessBuilder pb = new ProcessBuilder(coder.toString(), "--url", SANDBOX.url(), "ssh", "--stdio",
        "--ssh-host-prefix", "coder.", "coder.dev");
    pb.environment().keySet().removeIf(k -> k.startsWith("CODER_") || k.startsWith("JAVA_TOOL") || k.startsWith("JDK_JAVA"));
    pb.environment().put("CODER_SESSION_TOKEN", SANDBOX.client().sessionToken());
    return pb;
  }

  /** {@code coder ssh --stdio coder.dev} with stdin at EOF: the agent's banner, then the end. */
  private static Run ssh(Path coder) throws Exception {
    return finish(sshCommand(coder).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start());
  }

  private static Run run(Path coder, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(coder.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    return finish(pb.start());
  }

  private static Run finish(Process p) throws Exception {
    CompletableFuture<byte[]> out = drain(p.getInputStream());
    CompletableFuture<byte[]> err = drain(p.getErrorStream());
    if (!p.waitFor(GUARD_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    return new Run(p.exitValue(), out.get(), new String(err.get(), StandardCharsets.UTF_8));
  }

  /**
   * The files the CLI's JVM has mapped, read from /proc once its relay runs (the agent's banner
   * has arrived), then the session is ended by closing stdin. The wrapper execs the JVM, so the
   * pid is the JVM's.
   */
  private static String mapsWhileRelaying(Path coder) throws Exception {
    Process p = sshCommand(coder).start();
    CompletableFuture<byte[]> err = drain(p.getErrorStream());
    try {
      byte[] banner = new byte[8];
      int n = p.getInputStream().readNBytes(banner, 0, banner.length);
      assertThat(new String(banner, 0, n, StandardCharsets.UTF_8)).as("stderr: %s", err).isEqualTo("SSH-2.0-");
      return Files.readString(Path.of("/proc", Long.toString(p.pid()), "maps"));
    } finally {
      p.getOutputStream().close();
      drain(p.getInputStream());
      if (!p.waitFor(GUARD_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  private static CompletableFuture<byte[]> drain(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try (in) {
        return in.readAllBytes();
      } catch (IOException e) {
        return new byte[0];
      }
    });
  }
}
