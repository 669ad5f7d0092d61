package dev.coderssh.core.testing;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.CoreServices;
import dev.coderssh.core.cli.Console;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.http.HttpOptions;
import dev.coderssh.core.login.LoginGate;
import dev.coderssh.core.login.LoginOptions;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * One of the processes racing to sign in, as {@code proxy --login=browser} would:
 * {@code <home> <url> <opened-file> <proceed-file>}. Its browser appends a line to the opened file
 * (so the test counts launches across processes), then waits for the proceed file before it
 * consents, so the other processes have time to show the URL. Prints the token on stdout.
 */
public final class LoginGateMain {
    private LoginGateMain() {
    }

    public static void main(String[] args) throws Exception {
        Console console = new Console(System.in, System.out, System.err, Map.of("CODER_SSH_HOME", args[0]),
                Clock.systemUTC());
        CoreServices core = CoreServices.create(console, HttpOptions.defaults(), "test");
        Path launches = Path.of(args[2]);
        Path proceed = Path.of(args[3]);
        FollowingBrowser browser = new FollowingBrowser() {
            @Override
            public void open(String url) {
                try (FileOutputStream out = new FileOutputStream(launches.toFile(), true)) {
                    out.write(("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
                super.open(url);
            }

            @Override
            protected void before(String authorizeUrl) throws Exception {
                while (!Files.exists(proceed)) {
                    Thread.sleep(5);
                }
            }
        };
        LoginOptions options = new LoginOptions(DeploymentUrl.parse(args[1]), null, null, null, false,
                Duration.ofMinutes(2), false, false);
        try {
            System.out.println(new LoginGate(core, browser).signIn(options).value());
        } catch (CoderSshException e) {
            System.err.println("coder-ssh: " + e.getMessage());
            System.exit(e.exitCode().code());
        }
    }
}
