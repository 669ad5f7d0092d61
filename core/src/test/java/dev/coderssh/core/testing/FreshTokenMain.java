package dev.coderssh.core.testing;

import dev.coderssh.core.CoreServices;
import dev.coderssh.core.cli.Console;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.http.HttpOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * A child process for cross-process tests: {@code <home> <url> [<go-file>]}. Waits until the go
 * file exists (so all children ask at the same moment), then prints the fresh token on stdout.
 * No lambdas, no ObjectMapper: it doubles as the fast-path class-loading probe.
 */
public final class FreshTokenMain {
    private FreshTokenMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 2) {
            Path go = Path.of(args[2]);
            while (!Files.exists(go)) {
                Thread.sleep(2);
            }
        }
        Console console = new Console(System.in, System.out, System.err, Map.of("CODER_SSH_HOME", args[0]),
                Clock.systemUTC());
        CoreServices core = CoreServices.create(console, HttpOptions.defaults(), "test");
        try {
            System.out.println(core.tokens().fresh(DeploymentUrl.parse(args[1])).value());
        } catch (RuntimeException e) {
            System.err.println(e.getClass().getSimpleName() + ": " + e.getMessage());
            System.exit(3);
        }
    }
}
