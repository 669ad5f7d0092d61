package dev.coderssh.config;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.ExitCode;
import dev.coderssh.core.api.CoderApi;
import dev.coderssh.core.cli.Args;
import dev.coderssh.core.cli.Command;
import dev.coderssh.core.cli.Console;
import dev.coderssh.core.cli.DeploymentChoice;
import dev.coderssh.core.cli.NetworkFlags;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.http.HttpOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code coder-ssh config-ssh}: writes this deployment's managed block of Host entries into the
 * user's ssh config, never damaging the rest of the file. Non-interactive: IDEs and timers run it.
 */
public final class ConfigSshCommand implements Command {
    static final Set<String> FLAGS = Set.of("--no-wildcard", "--no-workspaces", "--all-owners",
            "--remove", "--dry-run", "--yes", "-y", "--use-previous-options", "--disable-autostart");
    static final Set<String> OPTIONS = NetworkFlags.options("--url", "--host-prefix", "--ssh-host-prefix",
            "--hostname-suffix", "-o", "--ssh-option", "--ssh-config-file", "--watch", "--login", "--wait",
            "--coder-binary");

    /** The API of a deployment, reached with the network options given (headers, TLS). */
    private final BiFunction<DeploymentUrl, HttpOptions, CoderApi> apis;
    private final ConfigSshEnvironment env;
    private final Supplier<List<DeploymentUrl>> signedIn;

    /** For Main: the real machine (see {@link ConfigSshEnvironment#system()}) and its sign-ins. */
    public ConfigSshCommand(BiFunction<DeploymentUrl, HttpOptions, CoderApi> apis,
                            Supplier<List<DeploymentUrl>> signedIn) {
        this.apis = apis;
        this.env = ConfigSshEnvironment.system();
        this.signedIn = signedIn;
    }

    /** Without sign-ins to fall back on: the URL must be given or in $CODER_URL. */
    public ConfigSshCommand(Function<DeploymentUrl, CoderApi> apis, ConfigSshEnvironment env) {
        this(apis, env, List::of);
    }

    public ConfigSshCommand(Function<DeploymentUrl, CoderApi> apis, ConfigSshEnvironment env,
                            Supplier<List<DeploymentUrl>> signedIn) {
        this.apis = (url, http) -> apis.apply(url);
        this.env = env;
        this.signedIn = signedIn;
    }

    @Override
    public String help() {
        return ConfigSshHelp.TEXT;
    }

    @Override
    public int run(List<String> argv, Console console) throws Exception {
        Args args = Args.parse(argv, FLAGS, OPTIONS);
        Request request = Request.from(args, console, env, signedIn);
        HttpOptions http = NetworkFlags.http(args, console);
        ConfigSshRun run = new ConfigSshRun(request, url -> apis.apply(url, http), env, console);
        if (request.watch() == null) {
            run.once(false);
            warnIfInSourceTree(request, console);
            return ExitCode.OK.code();
        }
        warnIfInSourceTree(request, console);
        return watch(run, request.watch(), console);
    }

    /** After the run, so that a failure stays one line. */
    private static void warnIfInSourceTree(Request request, Console console) {
        if (request.launcher() != null && ConfigSshEnvironment.inSourceTree(request.launcher())) {
            console.err().println("coder-ssh config-ssh: warning: the ProxyCommand names " + request.launcher()
                    + ", inside a source tree: moving or cleaning it breaks these hosts (install.sh installs a"
                    + " stable coder-ssh)");
        }
    }

    private int watch(ConfigSshRun run, Duration interval, Console console) {
        boolean first = true;
        while (true) {
            try {
                run.once(!first);
            } catch (CoderSshException e) {
                if (e.exitCode() == ExitCode.USAGE) {
                    throw e;
                }
                // A failed round (network, sign-in) is logged; the next round may succeed.
                console.err().println("coder-ssh config-ssh: " + e.getMessage());
            } catch (IOException e) {
                console.err().println("coder-ssh config-ssh: " + ConfigFileErrors.reason(e));
            }
            first = false;
            try {
                env.sleeper().sleep(interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ExitCode.OK.code();
            }
        }
    }

    /** The command line, checked: everything that can be a usage error fails here, before any I/O. */
    record Request(DeploymentUrl url, Path file, Path launcher, GenerationOptions options, boolean prefixGiven,
                   boolean usePrevious, boolean remove, boolean dryRun, Duration watch) {

        static Request from(Args args, Console console, ConfigSshEnvironment env,
                            Supplier<List<DeploymentUrl>> signedIn) {
            List<String> pos = args.positionals(0, 1, "usage: coder-ssh config-ssh [URL] [options] (see --help)");
            String urlText = DeploymentChoice.named(pos.isEmpty() ? null : pos.get(0), args, console);
            DeploymentUrl url = urlText != null ? DeploymentUrl.parse(urlText)
                    : DeploymentChoice.only(signedIn.get(), "config-ssh", true);
            String fileText = args.value("--ssh-config-file");
            Path file = fileText == null ? env.userHome().resolve(".ssh").resolve("config") : expandHome(fileText, env);
            // The Coder CLI's spellings are accepted too: --ssh-host-prefix means --host-prefix.
            String prefix = args.value("--host-prefix", args.value("--ssh-host-prefix"));
            if (prefix != null && !Names.validPrefix(prefix)) {
                throw CoderSshException.usage("--host-prefix must use only letters, digits, '.', '-' and '_'");
            }
            String suffix = args.value("--hostname-suffix");
            if (suffix != null && !suffix.isEmpty() && !Names.validSuffix(suffix)) {
                throw CoderSshException.usage("--hostname-suffix takes labels of letters, digits and '-' joined by"
                        + " dots, without a leading dot (e.g. coder); an empty one turns the suffix form off");
            }
            List<String> userOptions = new ArrayList<>();
            List<String> raw = new ArrayList<>(args.values("-o"));
            raw.addAll(args.values("--ssh-option"));
            for (String o : raw) {
                SshOptions.Option parsed = SshOptions.parseUserOption(o);
                userOptions.add(parsed.key() + "=" + parsed.value());
            }
            boolean wildcard = !args.flag("--no-wildcard");
            boolean workspaces = !args.flag("--no-workspaces");
            if (!wildcard && !workspaces) {
                throw CoderSshException.usage("--no-wildcard with --no-workspaces leaves nothing to write");
            }
            boolean remove = args.flag("--remove");
            Path launcher = remove ? null : launcher(console, env);
            Duration watch = args.value("--watch") == null ? null : parseInterval(args.value("--watch"));
            if (watch != null && (remove || args.flag("--dry-run"))) {
                throw CoderSshException.usage("--watch cannot be combined with --remove or --dry-run");
            }
            GenerationOptions gen = new GenerationOptions(prefix == null ? GenerationOptions.DEFAULT_PREFIX : prefix,
                    suffix, wildcard, workspaces, args.flag("--all-owners"), userOptions, ProxyArgs.from(args));
            return new Request(url, file, launcher, gen, prefix != null, args.flag("--use-previous-options"),
                    remove, args.flag("--dry-run"), watch);
        }

        private static Path expandHome(String text, ConfigSshEnvironment env) {
            if (text.equals("~") || text.startsWith("~/")) {
                return env.userHome().resolve(text.length() <= 2 ? "" : text.substring(2));
            }
            return Path.of(text).toAbsolutePath();
        }

        private static Path launcher(Console console, ConfigSshEnvironment env) {
            String fromEnv = console.env("CODER_SSH_LAUNCHER");
            if (fromEnv != null) {
                Path p = Path.of(fromEnv);
                if (!p.isAbsolute() || Names.hasLineBreakOrNul(fromEnv)) {
                    throw CoderSshException.usage("CODER_SSH_LAUNCHER must be an absolute path on one line");
                }
                return p.normalize();
            }
            if (env.defaultLauncher() == null) {
                throw CoderSshException.failure("cannot find the coder-ssh launcher for ProxyCommand;"
                        + " set CODER_SSH_LAUNCHER to its absolute path");
            }
            return env.defaultLauncher();
        }

        static Duration parseInterval(String text) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,6})(s|m|h)").matcher(text.strip());
            if (!m.matches()) {
                throw CoderSshException.usage("--watch takes an interval like 30s, 5m or 1h");
            }
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
            if (d.compareTo(Duration.ofSeconds(5)) < 0) {
                throw CoderSshException.usage("--watch interval must be at least 5s");
            }
            return d;
        }
    }
}
