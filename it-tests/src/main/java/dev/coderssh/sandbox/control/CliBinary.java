package dev.coderssh.sandbox.control;

import com.sun.net.httpserver.HttpExchange;
import dev.coderssh.sandbox.cli.CoderCli;
import dev.coderssh.sandbox.http.Http;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * {@code GET /bin/coder-<os>-<arch>[.exe]}: the stand-in CLI as a POSIX wrapper script with this
 * JVM, the CLI's own jar and its class-data-sharing archive baked in, with an ETag as IDE plugins
 * expect.
 */
public final class CliBinary {
  private static final Pattern NAME = Pattern.compile("/bin/coder-(linux|darwin|windows|freebsd)-(amd64|arm64|armv7|386)(\\.exe)?");
  private final String script;
  private final String etag;

  /** Keeps the CLI's jar and archive in {@code stand-in-cli/} beside the sandbox's jar (or classes). */
  public CliBinary() {
    this(codeSource().getParent().resolve("stand-in-cli"));
  }

  /** Keeps the CLI's jar and class-data archive in {@code dir}. */
  CliBinary(Path dir) {
    this.script = build(dir);
    this.etag = "\"" + sha256(script) + "\"";
  }

  public String script() {
    return script;
  }

  public boolean handle(HttpExchange ex, String path) throws IOException {
    if (!NAME.matcher(path).matches()) {
      return false;
    }
    if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
      Http.message(ex, 405, "Method not allowed.", null);
      return true;
    }
    ex.getResponseHeaders().set("ETag", etag);
    String inm = ex.getRequestHeaders().getFirst("If-None-Match");
    if (inm != null && (inm.contains(etag) || inm.trim().equals("*"))) {
      ex.sendResponseHeaders(304, -1);
      ex.close();
      return true;
    }
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
      ex.sendResponseHeaders(200, -1);
      ex.close();
      return true;
    }
    Http.send(ex, 200, "application/octet-stream", script.getBytes(StandardCharsets.UTF_8));
    return true;
  }

  private static Path codeSource() {
    try {
      return Path.of(CoderCli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The wrapper. The real CLI is a Go binary that starts in 10-30 ms; this one is a JVM, started
   * once per ssh connection, so every cost it adds distorts what the end-to-end tests and the
   * benchmark see (24 of them at once saturate 2 cores). Hence: a jar of only the CLI's classes
   * ({@link CliJar}) with a class-data-sharing archive made by the first {@code ssh} run and
   * mapped by every later one, C1 only, a small heap and stacks (it relays bytes with two 64 KiB
   * buffers), and no hsperfdata file.
   *
   * <p>G1 rather than SerialGC, against intuition: on JDK 17 only G1 maps the JDK archive's heap
   * objects (the booted module graph among them), and without them an empty main costs ~15 ms
   * more CPU; one GC thread of each kind, as a JVM this short-lived never collects much.
   */
  private static String build(Path dir) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String main = CoderCli.class.getName();
    // -Xlog to stderr: in a ProxyCommand stdout is the SSH stream, and JVM warnings default to
    // stdout; DisplayVMOutputToStderr does the same for the VM's non-log messages.
    String opts = "-XX:TieredStopAtLevel=1 -XX:+UseG1GC -XX:ParallelGCThreads=1 -XX:ConcGCThreads=1"
        + " -XX:-UsePerfData -Xss256k -Xms8m -Xmx64m"
        + " -Xshare:auto -XX:+DisplayVMOutputToStderr -Xlog:disable -Xlog:all=warning:stderr -Xlog:cds*=error:stderr";
    Path jar;
    try {
      jar = CliJar.write(codeSource(), dir);
    } catch (IOException | RuntimeException e) {
      // A read-only location, say: the CLI still works from the sandbox's own class path (a
      // directory or the shaded jar), only without its archive.
      return "#!/bin/sh\n"
          + "# Stand-in for the Coder CLI, served by coder-sandbox (not the real Coder binary).\n"
          + "exec " + quote(java) + " " + opts + " -cp " + quote(codeSource().toString()) + " " + main + " \"$@\"\n";
    }
    String name = jar.getFileName().toString();
    Path jsa = dir.resolve(name.substring(0, name.length() - ".jar".length()) + "-" + jdkId() + ".jsa");
    return "#!/bin/sh\n"
        + "# Stand-in for the Coder CLI, served by coder-sandbox (not the real Coder binary).\n"
        + "# It stands in for a native binary, so it starts its JVM as cheaply as one can: a jar of only\n"
        + "# its classes, a class-data-sharing archive of them, C1 only, a small heap.\n"
        + "java=" + quote(java) + "\n"
        + "jar=" + quote(jar.toString()) + "\n"
        + "jsa=" + quote(jsa.toString()) + "\n"
        + "# The archive is named after the CLI's classes and the JDK; it is remade when the jar or the\n"
        + "# java binary is newer than it. The JVM itself also checks the JDK build and the jar's size and\n"
        + "# mtime, and with -Xshare:auto runs without an archive it cannot use, never failing for it.\n"
        + "if [ -f \"$jsa\" ] && [ ! \"$jar\" -nt \"$jsa\" ] && [ ! \"$java\" -nt \"$jsa\" ]; then\n"
        + "  exec \"$java\" " + opts + " -XX:SharedArchiveFile=\"$jsa\" -cp \"$jar\" " + main + " \"$@\"\n"
        + "fi\n"
        + "# Only an ssh run records the archive: it loads what every connection needs (HTTP, sockets, the\n"
        + "# relay), where a first `version` (doctor runs one) would leave those out for good.\n"
        + "dump=\n"
        + "for a in \"$@\"; do [ \"$a\" = ssh ] && dump=$jsa.$$.tmp; done\n"
        + "if [ -z \"$dump\" ]; then\n"
        + "  exec \"$java\" " + opts + " -cp \"$jar\" " + main + " \"$@\"\n"
        + "fi\n"
        + "# Dumped at exit to a private name and renamed into place after a clean exit, so concurrent first\n"
        + "# runs never map a half-written archive. ssh ends a ProxyCommand with SIGHUP to this shell:\n"
        + "# trapped (the JVM, which gets its own default handling back, ends when the stream does) so\n"
        + "# the rename, or the clean-up, still happens.\n"
        + "trap : HUP\n"
        + "\"$java\" " + opts + " -XX:ArchiveClassesAtExit=\"$dump\" -cp \"$jar\" " + main + " \"$@\"\n"
        + "status=$?\n"
        + "if [ \"$status\" -eq 0 ] && [ -s \"$dump\" ]; then mv -f \"$dump\" \"$jsa\"; fi\n"
        + "rm -f \"$dump\"\n"
        + "exit \"$status\"\n";
  }

  /** The running JDK (the one baked into the wrapper): its path and exact build. */
  private static String jdkId() {
    return sha256(System.getProperty("java.home") + "\n" + System.getProperty("java.vm.version")).substring(0, 12);
  }

  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
