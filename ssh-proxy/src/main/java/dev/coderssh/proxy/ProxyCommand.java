package dev.coderssh.proxy;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.cli.Command;
import dev.coderssh.core.cli.Console;
import dev.coderssh.core.cli.DeploymentChoice;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.home.CoderSshHome;
import dev.coderssh.core.store.SecureFiles;
import dev.coderssh.core.token.AccessToken;
import dev.coderssh.core.token.SessionFiles;
import dev.coderssh.proxy.cli.CliPaths;
import dev.coderssh.proxy.cli.CliLocator;
import dev.coderssh.proxy.host.CoderConnectName;
import dev.coderssh.proxy.host.HostName;
import dev.coderssh.proxy.host.HostParser;
import dev.coderssh.proxy.log.ProxyLog;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code coder-ssh proxy HOST}: the ssh ProxyCommand. stdout is the SSH stream, so this class and
 * everything it calls write only to stderr and the log; stdin is left alone until a tunnel owns it.
 *
 * <p>The fast path (CLI transport, fresh token on disk, CLI present) is: parse, read the token,
 * check two files, write the plan. It must load no HTTP client, no object mapper and no lambda
 * bootstrap; {@code FastPathClassBudgetTest} holds it to that. Anything slower lives in
 * {@link SlowPath} and {@link DirectTransport} so its classes load only when used.
 */
public final class ProxyCommand implements Command {
    private final CoreServices core;

    public ProxyCommand(CoreServices core) {
        this.core = core;
    }

    @Override
    public int run(List<String> args, Console console) throws Exception {
        ProxyOptions opts = ProxyOptions.parse(args);
        CoderSshHome home = CoderSshHome.resolve(console.env());
        ProxyLog log = new ProxyLog(new File(home.logs().toFile(), "proxy.log"), console.err(), opts.verbose(),
                console.clock());
        try {
            return connect(args, opts, home, log, console);
        } catch (CoderSshException e) {
            log.error("proxy " + opts.host() + " failed: " + e.getMessage());
            throw e;
        }
    }

    private int connect(List<String> args, ProxyOptions opts, CoderSshHome home, ProxyLog log, Console console)
            throws Exception {
        DeploymentUrl deployment = deployment(opts, console);
        StateRepair.cache(home, console.err());
        if (opts.direct() != null || CoderConnectName.matches(opts.host(), opts.hostPrefix(), opts.hostnameSuffix())) {
            // This JVM relays for the whole session and leaves no plan: peers with the same argv
            // must not wait for one (see the launcher's take_or_wait).
            PlanCache.releaseLock(console.env(), home);
            return new DirectTransport(core, home, log, console).run(opts, deployment);
        }
        HostName host = new HostParser(opts.hostPrefix(), opts.hostnameSuffix()).parse(opts.host());
        AccessToken token = token(opts, deployment, home, log);
        log.secret(token.value());
        CliPaths paths = CliPaths.of(home, deployment);
        // The CLI keeps its session (a token) under --global-config: owner-only like the rest.
        StateRepair.cli(home, paths, console.err());
        SecureFiles.ensurePrivateDir(paths.globalConfig(), console.err());
        // Where the launcher records each running CLI session by key (see SessionFiles).
        SecureFiles.ensurePrivateDir(home.sessions(), console.err());
        Path cli = CliLocator.fast(opts.coderBinary(), paths);
        if (cli == null) {
            cli = new SlowPath(core, log, console).findCli(opts, deployment, paths);
        }
        cli = CliLocator.trusted(cli);
        Plan.ExecCli plan = plan(opts, deployment, token, cli, paths, host);
        log.info("proxy " + host.cliForm() + " via " + cli + " for " + deployment);
        int status = Handoff.run(plan, console.env(), new SessionFiles(home.sessions()));
        if (opts.url() != null && !opts.verbose() && console.env(Handoff.PLAN_FD) != null) {
            keep(args, plan, token, deployment, home, console);
        }
        return status;
    }

    /** Leaves the plan for the launcher's next run with the same argv (see {@link PlanCache}). */
    private void keep(List<String> args, Plan.ExecCli plan, AccessToken token, DeploymentUrl deployment,
                      CoderSshHome home, Console console) {
        Path file = PlanCache.requested(console.env(), home);
        Instant until = PlanCache.until(token, console.clock().instant());
        if (file == null || until == null) {
            return;
        }
        List<String> argv = new ArrayList<>(args.size() + 1);
        argv.add("proxy");
        argv.addAll(args);
        String text = PlanCache.encode(argv, until, home.credentialsFile(deployment), PlanCodec.encode(plan));
        if (text == null || !PlanCache.write(file, text)) {
            return;
        }
        // A refresh, sign-in or logout between reading the token and writing the entry leaves the
        // credentials file older than the entry but holding another token (or none): read again,
        // and drop the entry unless the store still holds the same token.
        boolean current;
        try {
            current = core.tokens().stillStored(deployment, token);
        } catch (RuntimeException e) {
            current = false;
        }
        if (!current) {
            PlanCache.delete(file);
        }
    }

    /** {@link DeploymentChoice}'s rule; the plan cache keys on argv, so only --url lets a plan be kept. */
    private DeploymentUrl deployment(ProxyOptions opts, Console console) {
        String named = opts.url() != null ? opts.url() : console.env("CODER_URL");
        if (named != null) {
            return DeploymentUrl.parse(named);
        }
        return DeploymentChoice.only(core.signedIn(), "proxy", true);
    }

    @Override
    public String help() {
        return ProxyOptions.HELP;
    }

    private AccessToken token(ProxyOptions opts, DeploymentUrl deployment, CoderSshHome home, ProxyLog log)
            throws Exception {
        if (!opts.browserLogin()) {
            return core.tokens().fresh(deployment);
        }
        return core.signInWithBrowser(deployment, opts.httpOptions());
    }

    static Plan.ExecCli plan(ProxyOptions opts, DeploymentUrl deployment, AccessToken token, Path cli,
                             CliPaths paths, HostName host) {
        List<String> argv = new ArrayList<>();
        argv.add(cli.toString());
        argv.add("--url");
        argv.add(deployment.toString());
        argv.add("--global-config");
        argv.add(paths.globalConfig().toString());
        for (String h : opts.headers()) {
            argv.add("--header");
            argv.add(h);
        }
        if (opts.headerCommand() != null) {
            argv.add("--header-command");
            argv.add(opts.headerCommand());
        }
        argv.add("ssh");
        argv.add("--stdio");
        if (opts.disableAutostart()) {
            argv.add("--disable-autostart");
        }
        if (opts.waitMode() != null) {
            argv.add("--wait");
            argv.add(opts.waitMode());
        }
        if (opts.logDir() != null) {
            argv.add("--log-dir");
            argv.add(opts.logDir());
        }
        if (opts.usageApp() != null) {
            argv.add("--usage-app");
            argv.add(opts.usageApp());
        }
        argv.add(host.cliForm());
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CODER_URL", deployment.toString());
        env.put("CODER_SESSION_TOKEN", token.value());
        if (opts.tlsCaFile() != null) {
            // Go's crypto/x509 reads SSL_CERT_FILE: the CLI trusts the same CA as we do.
            env.put("SSL_CERT_FILE", opts.tlsCaFile());
        }
        return new Plan.ExecCli(env, argv);
    }
}
