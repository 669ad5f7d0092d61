package dev.coderssh.proxy;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.cli.Console;
import dev.coderssh.core.cli.Terminal;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.proxy.cli.CliInstaller;
import dev.coderssh.proxy.cli.CliLocator;
import dev.coderssh.proxy.cli.CliPaths;
import dev.coderssh.proxy.cli.CliVersion;
import dev.coderssh.proxy.log.ProxyLog;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The first connection to a deployment (no cached CLI): download the CLI the server serves, and if
 * that fails use {@code coder} from PATH, warning when its version differs from the server's. Kept
 * out of {@link ProxyCommand} so its HTTP classes never load on the fast path.
 */
final class SlowPath {
    private final CoreServices core;
    private final ProxyLog log;
    private final Console console;

    SlowPath(CoreServices core, ProxyLog log, Console console) {
        this.core = core;
        this.log = log;
        this.console = console;
    }

    Path findCli(ProxyOptions opts, DeploymentUrl deployment, CliPaths paths) {
        String serverVersion = null;
        RuntimeException downloadFailure;
        try {
            serverVersion = core.api(deployment, opts.httpOptions()).buildInfo().version();
            log.progress("downloading the Coder CLI " + serverVersion + " from " + deployment
                    + " (first connection to this version; it is kept in " + paths.dir() + ")...");
            long start = System.nanoTime();
            PrintStream tty = Terminal.stderrIsTerminal() ? console.err() : null;
            Path installed = new CliInstaller(core.transport(opts.httpOptions()), tty).install(deployment, paths, serverVersion);
            log.progress("installed the Coder CLI " + serverVersion + " (" + CliInstaller.size(Files.size(installed))
                    + ") in " + CliInstaller.took(System.nanoTime() - start) + "; connecting");
            return installed;
        } catch (CoderSshException e) {
            downloadFailure = e;
        } catch (IOException e) {
            downloadFailure = CoderSshException.failure("cannot download the Coder CLI from " + deployment + ": " + e.getMessage());
        }
        Path onPath = CliLocator.onPath(console.env());
        if (onPath == null) {
            throw downloadFailure;
        }
        log.error("CLI download failed: " + downloadFailure.getMessage());
        String version = CliVersion.of(onPath);
        if (serverVersion != null && !CliVersion.matches(version, serverVersion)) {
            log.warn("using " + onPath + " (version " + version + "), which differs from the server's " + serverVersion);
        } else {
            log.info("using " + onPath + " from PATH");
        }
        return onPath;
    }
}
