package dev.coderssh.proxy;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.token.SessionFiles;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Gives ssh's stream to the CLI. Under the POSIX launcher ({@code CODER_SSH_PLAN_FD} set) the JVM
 * only writes the plan and exits, and the launcher {@code exec}s the CLI: ssh's descriptors pass
 * straight to it and no JVM holds memory during the session. Otherwise (Windows, {@code java -jar},
 * in-process tests) the JVM runs the CLI as a child with inherited descriptors, so it still copies
 * no bytes, and returns the CLI's exit status.
 */
final class Handoff {
    static final String PLAN_FD = "CODER_SSH_PLAN_FD";

    private Handoff() {
    }

    /** @param sessions where the CLI's session is recorded when we run it as a child (the launcher records its own) */
    static int run(Plan.ExecCli plan, Map<String, String> env, SessionFiles sessions)
            throws IOException, InterruptedException {
        String fd = env.get(PLAN_FD);
        if (fd != null && !fd.isEmpty()) {
            writePlan(plan, fd);
            return 0;
        }
        return runChild(plan, sessions);
    }

    static void writePlan(Plan.ExecCli plan, String fd) throws IOException {
        for (int i = 0; i < fd.length(); i++) {
            if (fd.charAt(i) < '0' || fd.charAt(i) > '9') {
                throw CoderSshException.usage(PLAN_FD + " must be a descriptor number");
            }
        }
        byte[] bytes = PlanCodec.encode(plan).getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = new FileOutputStream("/dev/fd/" + fd)) {
            out.write(bytes);
        }
    }

    static int runChild(Plan.ExecCli plan, SessionFiles sessions) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(plan.argv());
        pb.environment().putAll(plan.env());
        pb.redirectInput(ProcessBuilder.Redirect.INHERIT);
        pb.redirectOutput(ProcessBuilder.Redirect.INHERIT);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw CoderSshException.failure("cannot run " + plan.argv().get(0) + ": " + e.getMessage());
        }
        sessions.register(plan.env().get("CODER_SESSION_TOKEN"), p.pid());
        return p.waitFor();
    }
}
