package dev.coderssh.proxy;

import dev.coderssh.core.cli.Console;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.home.CoderSshHome;
import dev.coderssh.core.token.AccessToken;
import dev.coderssh.core.token.AccessTokens;
import dev.coderssh.proxy.log.ProxyLog;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One process of {@code SignInGateTest}: a token store that is empty until {@code home/token}
 * exists, and a "browser sign-in" that records its launch, publishes a URL and waits for the test
 * to create {@code home/release}.
 */
public final class SignInGateMain {
    private SignInGateMain() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        DeploymentUrl url = DeploymentUrl.parse("https://coder.example.com");
        FakeCore core = new FakeCore(null);
        core.tokenFile = home.resolve("token");
        CoreServices.BrowserSignIn browser = listener -> {
            Files.writeString(home.resolve("launches"), "launch\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            listener.authorizationUrl("https://coder.example.com/oauth2/authorize?state=xyz");
            while (!Files.exists(home.resolve("release"))) {
                Thread.sleep(20);
            }
            Files.writeString(home.resolve("token"), "Abcdefghij-0123456789abcdefghijkl");
        };
        AccessTokens tokens = core;
        ProxyLog log = new ProxyLog(new File(home.toFile(), "proxy.log"), System.err, false, Console.system().clock());
        AccessToken token = new SignInGate(new CoderSshHome(home), tokens, browser, log).fresh(url);
        System.exit(token.value().isEmpty() ? 1 : 0);
    }
}
