package dev.coderssh.realcoder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs {@code it-tests/real-coder/build FLAVOR}, which builds (or finds in its cache outside the
 * work tree) the real {@code coder} binary and the template writer; its progress goes to our
 * stderr, its one stdout line is the directory holding both.
 */
public record Build(Path dir, String version) {
  public Path coder() {
    return dir.resolve("coder");
  }

  public Path templateTar() {
    return dir.resolve("templatetar");
  }

  public static Build of(Release release, Path repoRoot) throws IOException, InterruptedException {
    Path script = repoRoot.resolve("it-tests/real-coder/build");
    Process p = new ProcessBuilder(List.of(script.toString(), release.flavor()))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (p.waitFor() != 0) {
      throw new IOException("building the real Coder (" + release.flavor() + ") failed: exit " + p.exitValue()
          + "; run " + script + " " + release.flavor() + " to see why");
    }
    Path dir = Path.of(out);
    if (!Files.isExecutable(dir.resolve("coder"))) {
      throw new IOException("the real Coder build printed " + out + " but left no coder binary there");
    }
    return new Build(dir, release.version(repoRoot));
  }
}
