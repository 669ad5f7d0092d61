package dev.coderssh.core.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;

/**
 * Runs a helper program (the CLI's {@code version}, a {@code --header-command}) within one deadline
 * that covers its output too: the output is read on a thread of its own, so a program that never
 * exits, or a child of it that keeps the pipe open, cannot hold the caller past the deadline. At
 * the deadline the program and everything it started are killed (SECURITY.md, "Bounds").
 */
public final class BoundedProcess {
    /** What a finished program said: its exit status and at most {@code cap} bytes of stdout. */
    public record Output(int exitStatus, byte[] stdout) {
    }

    private BoundedProcess() {
    }

    /** Starts {@code pb} with stdin closed; null when it outlives {@code timeoutMillis}. */
    public static Output run(ProcessBuilder pb, long timeoutMillis, int cap) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        Process p = pb.start();
        try {
            p.getOutputStream().close();
            Reader out = new Reader(p.getInputStream(), cap);
            out.start();
            if (!p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                return null;
            }
            out.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            return out.isAlive() ? null : new Output(p.exitValue(), out.bytes());
        } finally {
            // A no-op for what has exited; descendants first, while they can still be found.
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    /** Keeps the first {@code cap} bytes and drains the rest, so the program never blocks on a full pipe. */
    private static final class Reader extends Thread {
        private final InputStream in;
        private final int cap;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        Reader(InputStream in, int cap) {
            super("bounded-process-output");
            setDaemon(true);
            this.in = in;
            this.cap = cap;
        }

        @Override
        public void run() {
            byte[] b = new byte[8192];
            try {
                int n;
                while ((n = in.read(b)) > 0) {
                    synchronized (buf) {
                        if (buf.size() < cap) {
                            buf.write(b, 0, Math.min(n, cap - buf.size()));
                        }
                    }
                }
            } catch (IOException e) {
                // Killed at the deadline: whatever came is all there is.
            }
        }

        byte[] bytes() {
            synchronized (buf) {
                return buf.toByteArray();
            }
        }
    }
}
