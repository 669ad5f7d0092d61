package dev.coderssh.realcoder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Coder releases the suite runs for real: each is a wrapper module under
 * {@code it-tests/real-coder/<flavor>} whose go.mod pins the version. The newest whose module the
 * Go proxy serves is the newest we can test; see it-tests/real-coder/README.md for why.
 */
public enum Release {
  /** The newest release whose module the proxy serves (2.36.1). */
  NEWEST("newest"),
  /** The oldest with RFC 8414 metadata and RFC 7591 registration (2.25.1; 2.24.x has neither). */
  OLDER("older");

  private static final Pattern REQUIRE = Pattern.compile("(?m)^require github\\.com/coder/coder/v2 v(\\S+)$");
  private final String flavor;

  Release(String flavor) {
    this.flavor = flavor;
  }

  public String flavor() {
    return flavor;
  }

  public static Release parse(String s) {
    for (Release r : values()) {
      if (r.flavor.equals(s.toLowerCase(Locale.ROOT))) {
        return r;
      }
    }
    throw new IllegalArgumentException("--version takes newest or older, not " + s);
  }

  /** The wrapper module's directory in this clone. */
  public Path module(Path repoRoot) {
    return repoRoot.resolve("it-tests/real-coder").resolve(flavor);
  }

  /** The pinned version, as go.mod says (e.g. 2.36.1). */
  public String version(Path repoRoot) throws IOException {
    Matcher m = REQUIRE.matcher(Files.readString(module(repoRoot).resolve("go.mod")));
    if (!m.find()) {
      throw new IOException("no coder/coder/v2 require line in " + module(repoRoot).resolve("go.mod"));
    }
    return m.group(1);
  }
}
