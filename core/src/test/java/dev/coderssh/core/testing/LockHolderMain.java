package dev.coderssh.core.testing;

import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.home.CoderSshHome;
import dev.coderssh.core.store.LockManager;
import java.nio.file.Path;
import java.time.Duration;

/** Takes the deployment lock and holds it until killed: {@code <home> <url>}. */
public final class LockHolderMain {
    private LockHolderMain() {
    }

    public static void main(String[] args) throws Exception {
        LockManager locks = new LockManager(new CoderSshHome(Path.of(args[0])), System.err);
        LockManager.Held held = locks.acquire(DeploymentUrl.parse(args[1]), Duration.ofSeconds(30));
        System.out.println("locked");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
        held.close();
    }
}
