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
        // Only the direct transport asks for it; the CLI fast path never loads it.
        core.api = "1".equals(System.getenv("FAKE_RUNNING_API")) ? new RunningWorkspaceApi() : null;
        // Accepts the launcher's argv ("proxy ...") as well as the bare proxy arguments.
        java.util.List<String> argv = Arrays.asList(args);
        if (!argv.isEmpty() && argv.get(0).equals("proxy")) {
            argv = argv.subList(1, argv.size());
        }
        int rc = new ProxyCommand(core).run(argv, Console.system());
        System.exit(rc);
    }
}
