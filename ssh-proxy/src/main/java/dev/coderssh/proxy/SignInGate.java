package dev.coderssh.proxy;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.ExitCode;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.home.CoderSshHome;
import dev.coderssh.core.token.AccessToken;
import dev.coderssh.core.token.AccessTokens;
import dev.coderssh.proxy.log.ProxyLog;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code --login=browser}: when the sign-in is missing, ONE process per deployment runs the browser
 * sign-in and the others wait for it, printing the same URL (IDEs retrying ProxyCommands opened
 * hundreds of tabs in peers). An OS file lock elects the runner, so a killed runner releases it at
 * once; the URL is published in a side file for the waiters.
 */
final class SignInGate {
    private static final long POLL_MILLIS = 200;
    private final CoderSshHome home;
    private final AccessTokens tokens;
    private final CoreServices.BrowserSignIn signIn;
    private final ProxyLog log;

    SignInGate(CoderSshHome home, AccessTokens tokens, CoreServices.BrowserSignIn signIn, ProxyLog log) {
        this.home = home;
        this.tokens = tokens;
        this.signIn = signIn;
        this.log = log;
    }

    AccessToken fresh(DeploymentUrl deployment) throws Exception {
        try {
            return tokens.fresh(deployment);
        } catch (CoderSshException e) {
            if (e.exitCode() != ExitCode.AUTH_REQUIRED) {
                throw e;
            }
        }
        Files.createDirectories(home.locks());
        Path lockFile = home.locks().resolve("signin-" + deployment.fileKey() + ".lock");
        Path urlFile = home.locks().resolve("signin-" + deployment.fileKey() + ".url");
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            if (lock != null) {
                try {
                    // The previous runner may have finished while we were starting.
                    try {
                        return tokens.fresh(deployment);
                    } catch (CoderSshException e) {
                        if (e.exitCode() != ExitCode.AUTH_REQUIRED) {
                            throw e;
                        }
                    }
                    runSignIn(urlFile);
                } finally {
                    Files.deleteIfExists(urlFile);
                    lock.release();
                }
            } else {
                waitForRunner(ch, urlFile);
            }
        }
        return tokens.fresh(deployment);
    }

    private void runSignIn(Path urlFile) throws Exception {
        signIn.signIn(url -> {
            log.warn("sign in to continue: " + url);
            try {
                Path tmp = Files.createTempFile(urlFile.getParent(), ".signin-", ".tmp");
                Files.writeString(tmp, url, StandardCharsets.UTF_8);
                Files.move(tmp, urlFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                log.error("cannot publish the sign-in URL: " + e);
            }
        });
    }

    private void waitForRunner(FileChannel ch, Path urlFile) throws IOException, InterruptedException {
        log.warn("another coder-ssh is signing in to this deployment; waiting for it");
        boolean shown = false;
        while (true) {
            if (!shown && Files.isRegularFile(urlFile)) {
                String url = Files.readString(urlFile, StandardCharsets.UTF_8).strip();
                if (!url.isEmpty()) {
                    log.warn("sign in to continue: " + url);
                    shown = true;
                }
            }
            FileLock lock = ch.tryLock();
            if (lock != null) {
                lock.release();
                return;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
