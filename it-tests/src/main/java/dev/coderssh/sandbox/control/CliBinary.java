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
 * JVM and the sandbox's class path baked in, with an ETag as IDE plugins expect.
 */
public final class CliBinary {
  private static final Pattern NAME = Pattern.compile("/bin/coder-(linux|darwin|windows|freebsd)-(amd64|arm64|armv7|386)(\\.exe)?");
  private final String script;
  private final String etag;

  public CliBinary() {
    this.script = build();
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

  private static String build() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp;
    try {
      cp = Path.of(CoderCli.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    // -Xlog to stderr: in a ProxyCommand stdout is the SSH stream, and JVM warnings default to stdout.
    return "#!/bin/sh\n"
        + "# Stand-in for the Coder CLI, served by coder-sandbox (not the real Coder binary).\n"
        + "exec " + quote(java) + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto"
        + " -Xlog:disable -Xlog:all=warning:stderr -cp " + quote(cp) + " " + CoderCli.class.getName() + " \"$@\"\n";
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
