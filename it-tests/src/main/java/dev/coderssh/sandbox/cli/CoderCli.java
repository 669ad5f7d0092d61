package dev.coderssh.sandbox.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stand-in for the Coder CLI: {@code version [--output json]} and {@code ssh --stdio HOST}, with
 * the real CLI's flags. The token comes ONLY from {@code CODER_SESSION_TOKEN}. Stdout carries
 * nothing but tunnel bytes (or the version); every message goes to stderr; failures exit 1.
 */
public final class CoderCli {
  static final String VERSION = dev.coderssh.sandbox.SandboxOptions.VERSION;
  private static final Set<String> BOOLEAN_FLAGS = Set.of("--stdio", "--disable-autostart", "--no-wait", "-A",
      "--forward-agent", "--no-feature-warning", "--quiet", "-q", "--verbose", "-v");

  private CoderCli() {
  }

  /** Parsed command line; flags may stand before or after the subcommand, as with cobra. */
  record Args(List<String> positional, Map<String, String> flags, List<String> headers) {
    String flag(String name) {
      return flags.get(name);
    }
  }

  public static void main(String[] argv) {
    System.exit(run(argv));
  }

  static int run(String[] argv) {
    Args args;
    try {
      args = parse(argv);
    } catch (IllegalArgumentException e) {
      System.err.println("coder: " + e.getMessage());
      return 1;
    }
    if (args.positional().isEmpty()) {
      System.err.println("usage: coder [--url URL] [--global-config DIR] [--header K=V] version|ssh ...");
      return 1;
    }
    try {
      switch (args.positional().get(0)) {
        case "version":
          return version(args);
        case "ssh":
          return new SshCommand(args, System.getenv()).run();
        default:
          System.err.println("coder: unknown command \"" + args.positional().get(0) + "\" (stand-in CLI)");
          return 1;
      }
    } catch (CliError e) {
      System.err.println("error: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      System.err.println("error: " + e);
      return 1;
    }
  }

  static Args parse(String[] argv) {
    List<String> positional = new ArrayList<>();
    Map<String, String> flags = new LinkedHashMap<>();
    List<String> headers = new ArrayList<>();
    for (int i = 0; i < argv.length; i++) {
      String a = argv[i];
      if (!a.startsWith("-") || a.equals("-")) {
        positional.add(a);
        continue;
      }
      String name = a;
      String value = null;
      int eq = a.indexOf('=');
      if (eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      } else if (BOOLEAN_FLAGS.contains(a)) {
        value = "true";
      } else {
        if (i + 1 >= argv.length) {
          throw new IllegalArgumentException("flag needs an argument: " + a);
        }
        value = argv[++i];
      }
      if (name.equals("-R") || name.equals("--remote-forward") || name.equals("-e")) {
        throw new IllegalArgumentException(name + " cannot be used with --stdio");
      }
      if (name.equals("--header")) {
        headers.add(value);
      } else {
        flags.put(name, value);
      }
    }
    return new Args(positional, flags, headers);
  }

  private static int version(Args args) {
    if ("json".equals(args.flag("--output")) || "json".equals(args.flag("-o"))) {
      System.out.println("{\"version\":\"" + VERSION + "\",\"build_time\":\"2026-11-01T00:00:00Z\","
          + "\"external_url\":\"https://github.com/coder/coder\",\"slim\":false,\"agpl\":false,"
          + "\"boring_crypto\":false}");
    } else {
      System.out.println("Coder " + VERSION + " (sandbox stand-in CLI)");
    }
    System.out.flush();
    return 0;
  }

  /** Extra request headers: --header K=V flags and --header-command output lines. */
  static Map<String, String> headers(Args args) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    List<String> lines = new ArrayList<>(args.headers());
    String cmd = args.flag("--header-command");
    if (cmd != null) {
      Process p = new ProcessBuilder("/bin/sh", "-c", cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      p.getOutputStream().close();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (!line.isBlank()) {
            lines.add(line);
          }
        }
      }
    }
    for (String h : lines) {
      int eq = h.indexOf('=');
      if (eq <= 0) {
        throw new CliError("invalid header \"" + h + "\": expected KEY=VALUE");
      }
      out.put(h.substring(0, eq), h.substring(eq + 1));
    }
    return out;
  }

  /** A failure reported as one "error: ..." line on stderr. */
  static final class CliError extends IOException {
    CliError(String message) {
      super(message);
    }
  }
}
