package dev.coderssh.proxy;

import dev.coderssh.core.CoderSshException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text the JVM hands the POSIX launcher so that it can {@code exec} the CLI and no JVM stays
 * alive during the session: the magic word, then {@code env NAME=value} lines, {@code arg value}
 * lines, and {@link #END}. The launcher splits it with parameter expansion only (no eval, no
 * external command, no heredoc: bash writes those to temp files and this holds the token). A value
 * holding a line break or NUL would shift or truncate lines, so it is refused here; the end marker
 * lets the launcher tell a complete plan from a truncated one.
 */
final class PlanCodec {
    static final String MAGIC = "coder-ssh-plan-1";
    static final String END = "coder-ssh-plan-end";

    private PlanCodec() {
    }

    static String encode(Plan.ExecCli plan) {
        StringBuilder sb = new StringBuilder(512);
        sb.append(MAGIC).append('\n');
        for (Map.Entry<String, String> e : plan.env().entrySet()) {
            check(e.getValue(), e.getKey());
            sb.append("env ").append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        List<String> argv = plan.argv();
        for (int i = 0; i < argv.size(); i++) {
            check(argv.get(i), "a CLI argument");
            sb.append("arg ").append(argv.get(i)).append('\n');
        }
        return sb.append(END).append('\n').toString();
    }

    private static void check(String value, String what) {
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0) {
            // Never echo the value: it may be the token.
            throw CoderSshException.usage(what + " contains a line break or NUL and cannot be passed on");
        }
    }

    /** The inverse, for tests and as the format's executable description. */
    static Plan.ExecCli decode(String text) {
        String[] lines = text.split("\n", -1);
        if (lines.length < 3 || !lines[0].equals(MAGIC) || !lines[lines.length - 2].equals(END)
                || !lines[lines.length - 1].isEmpty()) {
            throw new IllegalArgumentException("not a complete plan");
        }
        Map<String, String> env = new LinkedHashMap<>();
        List<String> argv = new ArrayList<>();
        for (int i = 1; i < lines.length - 2; i++) {
            String line = lines[i];
            if (line.startsWith("env ") && line.indexOf('=') > 4) {
                env.put(line.substring(4, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            } else if (line.startsWith("arg ")) {
                argv.add(line.substring(4));
            } else {
                throw new IllegalArgumentException("bad plan line " + i);
            }
        }
        return new Plan.ExecCli(env, argv);
    }
}
