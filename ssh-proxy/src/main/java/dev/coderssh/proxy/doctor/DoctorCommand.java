package dev.coderssh.proxy.doctor;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.ExitCode;
import dev.coderssh.core.api.BuildInfo;
import dev.coderssh.core.api.CoderApi;
import dev.coderssh.core.cli.Args;
import dev.coderssh.core.cli.Command;
import dev.coderssh.core.cli.Console;
import dev.coderssh.core.cli.DeploymentChoice;
import dev.coderssh.core.cli.NetworkFlags;
import dev.coderssh.core.cli.TerminalText;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.home.CoderSshHome;
import dev.coderssh.core.scope.Capability;
import dev.coderssh.core.http.HttpOptions;
import dev.coderssh.core.token.AccessToken;
import dev.coderssh.proxy.CoreServices;
import dev.coderssh.proxy.cli.CliInstaller;
import dev.coderssh.proxy.cli.CliPaths;
import dev.coderssh.proxy.cli.CliVersion;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code coder-ssh doctor [URL]}: everything a connection needs, one line per check with the fix,
 * exit 0 only when every check passes. A check that depends on a failed one is reported as a
 * failure ("not checked") rather than skipped, so a green run means the whole path works.
 */
public final class DoctorCommand implements Command {
    static final String USAGE = "usage: coder-ssh doctor [<deployment-url>] [options] (see coder-ssh doctor --help)";
    static final String HELP = String.join("\n",
            "Usage: coder-ssh doctor [<deployment-url>] [options]",
            "",
            "Checks everything a connection needs, one line per check with its fix; exit 0 only when every",
            "check passes (1 otherwise). The deployment: the URL given (or --url), else $CODER_URL, else",
            "the only deployment signed in to.",
            "",
            "  --url URL               the deployment (instead of the positional URL)",
            "  --coder-binary PATH     check this Coder CLI instead of downloading the deployment's",
            "  --host-prefix P         the host prefix config-ssh wrote (default coder.)",
            "  --ssh-config-file F     the ssh config config-ssh wrote (default ~/.ssh/config)",
            "  --workspace [OWNER/]NAME  probe access to this workspace",
            NetworkFlags.HELP.replace("  --allow-insecure-http   allow http:// for a non-loopback deployment\n", ""),
            "");
    private final CoreServices core;
    /** Null: the real ssh, asked per run (it may be given a config file). */
    private final SshProbe ssh;

    public DoctorCommand(CoreServices core) {
        this(core, null);
    }

    DoctorCommand(CoreServices core, SshProbe ssh) {
        this.core = core;
        this.ssh = ssh;
    }

    @Override
    public int run(List<String> args, Console console) throws IOException {
        Args a = Args.parse(args, Set.of(), NetworkFlags.options("--url", "--coder-binary", "--host-prefix",
                "--ssh-config-file", "--workspace"));
        List<String> pos = a.positionals(0, 1, USAGE);
        String workspace = a.value("--workspace");
        if (workspace != null && !workspace.matches("([^/\\s]+/)?[^/\\s]+")) {
            throw CoderSshException.usage("--workspace takes NAME or OWNER/NAME; " + USAGE);
        }
        String named = DeploymentChoice.named(pos.isEmpty() ? null : pos.get(0), a, console);
        DeploymentUrl url = named != null ? DeploymentUrl.parse(named) : DeploymentChoice.only(core.signedIn(), "doctor", true);
        HttpOptions http = NetworkFlags.http(a, console);
        // The file config-ssh --ssh-config-file wrote; ssh itself reads ~/.ssh/config from the
        // passwd entry's home, not $HOME, so this is the only way to check another file.
        SshProbe ssh = this.ssh != null ? this.ssh : SshProbe.system(a.value("--ssh-config-file"));
        Report out = new Report(console.out());
        int failures = 0;
        CoderApi api = core.api(url, http);
        BuildInfo[] info = new BuildInfo[1];
        failures += report(out, "deployment", DeploymentChecks.reachable(api, url, info));
        boolean up = info[0] != null;
        failures += report(out, "provider", up ? DeploymentChecks.provider(core.transport(http), url) : notChecked("deployment"));
        failures += report(out, "metadata", up ? DeploymentChecks.metadata(core.transport(http), url) : notChecked("deployment"));
        AccessToken[] token = new AccessToken[1];
        Outcome signIn = DeploymentChecks.signedIn(core.tokens(), url, token);
        ScopeProbes prober = up && token[0] != null
                ? new ScopeProbes(core.transport(http), url, token[0], http, console.clock()) : null;
        Map<Capability, Outcome> probes = prober != null ? prober.run(workspace) : Map.of();
        if (prober != null && prober.tokenRejected()) {
            // The file says fresh, the server says no: the server is right (revoked, or signed out elsewhere).
            signIn = DeploymentChecks.rejected(token[0], url);
        }
        failures += report(out, "sign-in", signIn);
        failures += report(out, "scopes", token[0] != null ? DeploymentChecks.scopes(token[0], url) : notChecked("sign-in"));
        for (Capability c : ScopeProbes.PROBED) {
            failures += report(out, c.id(), probes.getOrDefault(c, notChecked(up ? "sign-in" : "deployment")));
        }
        failures += report(out, "cli", up ? cli(a.value("--coder-binary"), url, http, info[0].version(), console)
                : notChecked("deployment"));
        failures += report(out, "ssh", SshChecks.client(ssh));
        failures += report(out, "ssh-config", SshChecks.config(ssh, a.value("--host-prefix", "coder.") + "doctor-probe",
                url.toString(), a.value("--ssh-config-file")));
        out.summary();
        return failures == 0 ? ExitCode.OK.code() : ExitCode.FAILURE.code();
    }

    private Outcome cli(String explicit, DeploymentUrl url, HttpOptions http, String serverVersion, Console console) {
        Path binary;
        if (explicit != null) {
            binary = Path.of(explicit);
        } else {
            CliPaths paths = CliPaths.of(CoderSshHome.resolve(console.env()), url);
            try {
                // doctor is where a stale cached CLI gets replaced (never per connection).
                binary = new CliInstaller(core.transport(http)).install(url, paths, serverVersion);
            } catch (IOException | CoderSshException e) {
                return Outcome.fail("cannot install the Coder CLI: " + e.getMessage(),
                        "pass --coder-binary to the proxy, or put a matching `coder` on PATH");
            }
        }
        if (!Files.isExecutable(binary)) {
            return Outcome.fail(binary + " is not executable", "check the path given to --coder-binary");
        }
        String v = CliVersion.of(binary);
        return CliVersion.matches(v, serverVersion) ? Outcome.pass(binary + " " + v)
                : Outcome.fail(binary + " is " + (v == null ? "not runnable" : v) + ", the server is " + serverVersion,
                        "use the CLI the deployment serves (drop --coder-binary to download it)");
    }

    @Override
    public String help() {
        return HELP;
    }

    /** One line per check; a check that could not tell counts against a green run like a failure. */
    private static int report(Report out, String name, Outcome o) {
        if (o instanceof Outcome.Fail f) {
            out.line("FAIL " + name + ": " + f.detail() + " -> fix: " + f.fix());
            out.failed++;
            return 1;
        }
        if (o instanceof Outcome.Unknown u) {
            out.line("?    " + name + ": could not tell: " + u.detail() + " -> to check: " + u.fix());
            out.unknown++;
            return 1;
        }
        out.line("ok   " + name + ": " + o.detail());
        return 0;
    }

    /** Where the lines go, and how many failed or could not tell, for the last line. */
    private static final class Report {
        private final PrintStream out;
        int failed;
        int unknown;

        Report(PrintStream out) {
            this.out = out;
        }

        /** One check, one line: what a server named in it (a version, a workspace) is escaped. */
        void line(String s) {
            out.println(TerminalText.escape(s));
        }

        void summary() {
            if (failed == 0 && unknown == 0) {
                out.println("all checks passed");
            } else {
                out.println(failed + " check(s) failed" + (unknown == 0 ? "" : ", " + unknown + " could not tell"));
            }
        }
    }

    private static Outcome notChecked(String needs) {
        return Outcome.fail("not checked", "fix the " + needs + " check first");
    }
}
