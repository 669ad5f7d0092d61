package dev.coderssh.proxy;

import dev.coderssh.core.cli.Console;
import java.util.Arrays;

/**
 * The proxy's fast path in a JVM of its own, wired to {@link FakeCore} holding a fresh token (the
 * real store is core's; until it is merged this measures everything of ours around it).
 * Used by {@code FastPathClassBudgetTest} and by the start-up benchmark.
 */
public final class FastPathMain {
    private FastPathMain() {
    }

    public static void main(String[] args) throws Exception {
        FakeCore core = new FakeCore("Abcdefghij-0123456789abcdefghijkl");
        int rc = new ProxyCommand(core).run(Arrays.asList(args), Console.system());
        System.exit(rc);
    }
}
