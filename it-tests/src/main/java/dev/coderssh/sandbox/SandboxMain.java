package dev.coderssh.sandbox;

import dev.coderssh.sandbox.faults.Fault;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code dev/coder-sandbox}: starts a sandbox deployment, prints {@code CODER_URL=...} as the first
 * stdout line, and serves until killed.
 */
public final class SandboxMain {
  private SandboxMain() {
  }

  private static final String USAGE = "usage: coder-sandbox [--profile current|legacy] [--port N]"
      + " [--access-ttl 24h] [--refresh-ttl 720h] [--session-ttl 720h] [--dcr on|off] [--provider on|off]"
      + " [--workspaces N] [--rate-limit on|off] [--build-delay 2s] [--hostname-prefix coder.]"
      + " [--hostname-suffix coder|''] [--usage-interval 1m] [--fault KIND[:COUNT[:PARAM]]]...\n"
      + "profiles: current = newest Coder (scopes enforced, loopback port ignored, public clients);"
      + " legacy = Coder before 2.35 (scopes ignored, port compared, client secret required)\n"
      + "fault kinds: delay hang reset status_500 status_503 status_429 invalid_json huge_body"
      + " wrong_content_type missing_refresh_token missing_expires_in";

  public static void main(String[] args) throws Exception {
    SandboxOptions o;
    try {
      o = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("coder-sandbox: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    Sandbox sandbox = Sandbox.start(o);
    PrintStream out = System.out;
    out.println("CODER_URL=" + sandbox.url());
    out.flush();
    System.err.println("coder-sandbox: serving " + sandbox.url() + " (Coder " + SandboxOptions.VERSION + ", profile "
        + o.profile().label() + ")");
    System.err.println("coder-sandbox: sign in as user '" + sandbox.username() + "' with password '"
        + sandbox.password() + "'");
    System.err.println("coder-sandbox: workspaces demo/dev demo/multi demo/stopped demo/outdated demo/dormant"
        + " alice/shared"
        + (o.extraWorkspaces() > 0 ? " and " + o.extraWorkspaces() + " generated" : ""));
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      sandbox.close();
      stop.countDown();
    }));
    stop.await();
  }

  static SandboxOptions parse(String[] args) {
    SandboxOptions o = SandboxOptions.defaults();
    List<Fault> faults = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      String value;
      int eq = flag.indexOf('=');
      if (flag.startsWith("--") && eq > 0) {
        value = flag.substring(eq + 1);
        flag = flag.substring(0, eq);
      } else if (flag.equals("-h") || flag.equals("--help")) {
        System.err.println(USAGE);
        System.exit(0);
        return o;
      } else {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(flag + " needs a value");
        }
        value = args[++i];
      }
      switch (flag) {
        case "--port" -> o = o.withPort(Integer.parseInt(value));
        case "--access-ttl" -> o = o.withAccessTtl(Durations.parse(value));
        case "--refresh-ttl" -> o = o.withRefreshTtl(Durations.parse(value));
        case "--session-ttl" -> o = o.withSessionTtl(Durations.parse(value));
        case "--dcr" -> o = o.withDcr(onOff(flag, value));
        case "--provider" -> o = o.withProvider(onOff(flag, value));
        case "--workspaces" -> o = o.withExtraWorkspaces(Integer.parseInt(value));
        case "--rate-limit" -> o = o.withRateLimit(onOff(flag, value));
        case "--build-delay" -> o = o.withBuildDelay(Durations.parse(value));
        case "--fault" -> faults.add(Fault.parse(value));
        case "--profile" -> o = o.withProfile(Profile.parse(value));
        case "--hostname-prefix" -> o = o.withHostnamePrefix(value);
        case "--hostname-suffix" -> o = o.withHostnameSuffix(value);
        case "--usage-interval" -> o = o.withUsageInterval(Durations.parse(value));
        default -> throw new IllegalArgumentException("unknown flag " + flag);
      }
    }
    return o.withFaults(faults);
  }

  private static boolean onOff(String flag, String v) {
    return switch (v) {
      case "on", "true" -> true;
      case "off", "false" -> false;
      default -> throw new IllegalArgumentException(flag + " takes on or off");
    };
  }
}
