package dev.coderssh.proxy.log;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * The proxy's diagnostics: one short line on stderr for the user (everything with {@code -v}), and
 * a detailed, redacted, size-rotated file {@code logs/proxy.log}. Never stdout: that is the SSH
 * stream. Logging never fails a connection, so file errors are swallowed.
 */
public final class ProxyLog {
    static final long MAX_BYTES = 1024 * 1024;
    static final int KEEP = 3;
    private final File file;
    private final PrintStream err;
    private final boolean verbose;
    private final Clock clock;
    private final Redactor redactor = new Redactor();
    private final String pid = pid();

    public ProxyLog(File file, PrintStream err, boolean verbose, Clock clock) {
        this.file = file;
        this.err = err;
        this.verbose = verbose;
        this.clock = clock;
    }

    public void secret(String value) {
        redactor.secret(value);
    }

    /** Detail: file always, stderr with -v. */
    public void info(String message) {
        String line = redactor.redact(message);
        if (verbose) {
            err.println("coder-ssh: " + line);
        }
        write("INFO", line);
    }

    /** Something the user should see even without -v. */
    public void warn(String message) {
        String line = redactor.redact(message);
        err.println("coder-ssh: " + line);
        write("WARN", line);
    }

    /** Recorded in the file only (the caller prints its own one-liner). */
    public void error(String message) {
        write("ERROR", redactor.redact(message));
    }

    private synchronized void write(String level, String line) {
        if (file == null) {
            return;
        }
        try {
            File dir = file.getParentFile();
            if (!dir.isDirectory() && dir.mkdirs()) {
                dir.setReadable(false, false);
                dir.setReadable(true, true);
                dir.setExecutable(false, false);
                dir.setExecutable(true, true);
            }
            if (file.length() > MAX_BYTES) {
                rotate();
            }
            String text = Timestamps.iso(clock.millis()) + " " + level + " [" + pid + "] " + line + "\n";
            // One write per line with O_APPEND: concurrent proxies interleave whole lines.
            try (FileOutputStream out = new FileOutputStream(file, true)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException | SecurityException e) {
            // Diagnostics must never cost the user their connection.
        }
    }

    /** Via /proc where there is one: ProcessHandle's initialisation bootstraps lambdas (milliseconds). */
    private static String pid() {
        try {
            File self = new File("/proc/self");
            if (self.exists()) {
                return self.getCanonicalFile().getName();
            }
        } catch (IOException e) {
            // fall through
        }
        return Long.toString(ProcessHandle.current().pid());
    }

    private void rotate() {
        for (int i = KEEP - 1; i >= 1; i--) {
            File from = new File(file.getPath() + "." + i);
            if (from.exists()) {
                from.renameTo(new File(file.getPath() + "." + (i + 1)));
            }
        }
        file.renameTo(new File(file.getPath() + ".1"));
    }
}
