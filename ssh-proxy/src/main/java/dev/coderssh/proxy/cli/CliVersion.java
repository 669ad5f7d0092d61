package dev.coderssh.proxy.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code coder version --output json} and compares versions as the IDE plugins do. */
public final class CliVersion {
    private CliVersion() {
    }

    /** How long {@code coder version} may take, output included (SECURITY.md, "Bounds"). */
    static final long TIMEOUT_MILLIS = 20_000;

    /** The binary's version, or null when it does not run, answers something unreadable or hangs. */
    public static String of(Path binary) {
        return of(binary, TIMEOUT_MILLIS);
    }

    static String of(Path binary, long timeoutMillis) {
        Process p = null;
        try {
            ProcessBuilder pb = new ProcessBuilder(List.of(binary.toString(), "version", "--output", "json"));
            pb.redirectErrorStream(true);
            pb.redirectInput(ProcessBuilder.Redirect.PIPE);
            p = pb.start();
            p.getOutputStream().close();
            // Read on another thread: the deadline must hold while the output is still open (a CLI
            // that never exits, or a child of it that keeps the pipe).
            Output out = new Output(p.getInputStream());
            out.start();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            if (!p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                return null;
            }
            out.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (out.isAlive() || p.exitValue() != 0) {
                return null;
            }
            return jsonVersion(new String(out.bytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            if (p != null) {
                kill(p);
            }
        }
    }

    /** Ends the process and everything it started (a no-op once they have exited). */
    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    /** Collects at most 64 KiB of the output, draining the rest so the child never blocks on it. */
    private static final class Output extends Thread {
        private static final int CAP = 64 * 1024;
        private final InputStream in;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        Output(InputStream in) {
            super("coder-version-output");
            setDaemon(true);
            this.in = in;
        }

        @Override
        public void run() {
            byte[] b = new byte[8192];
            try {
                int n;
                while ((n = in.read(b)) > 0) {
                    synchronized (buf) {
                        if (buf.size() < CAP) {
                            buf.write(b, 0, Math.min(n, CAP - buf.size()));
                        }
                    }
                }
            } catch (IOException e) {
                // The process was killed: whatever came is all there is.
            }
        }

        byte[] bytes() {
            synchronized (buf) {
                return buf.toByteArray();
            }
        }
    }

    /** The "version" string of a flat JSON object; a tiny scan rather than an object mapper. */
    static String jsonVersion(String json) {
        int key = json.indexOf("\"version\"");
        if (key < 0) {
            return null;
        }
        int colon = json.indexOf(':', key + 9);
        int open = colon < 0 ? -1 : json.indexOf('"', colon + 1);
        int close = open < 0 ? -1 : json.indexOf('"', open + 1);
        if (close < 0 || !json.substring(colon + 1, open).isBlank()) {
            return null;
        }
        return json.substring(open + 1, close);
    }

    /** Equal ignoring a leading "v" and "+build" metadata (semver 2.0.0 section 10). */
    public static boolean matches(String cli, String server) {
        return cli != null && server != null && core(cli).equals(core(server));
    }

    static String core(String v) {
        String s = v.strip();
        if (s.startsWith("v")) {
            s = s.substring(1);
        }
        int plus = s.indexOf('+');
        return plus < 0 ? s : s.substring(0, plus);
    }
}
