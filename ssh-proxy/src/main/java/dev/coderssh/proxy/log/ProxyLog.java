package dev.coderssh.proxy.log;

import dev.coderssh.core.cli.TerminalText;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Set;

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
        String line = escape(redactor.redact(message));
        if (verbose) {
            err.println("coder-ssh: " + line);
        }
        write("INFO", line);
    }

    /** Something the user should see even without -v. */
    public void warn(String message) {
        String line = escape(redactor.redact(message));
        err.println("coder-ssh: " + line);
        write("WARN", line);
    }

    /**
     * A step the user waits for (the first connection's CLI download): stderr always, so an IDE's
     * log shows why the connection takes a while, one line per state.
     */
    public void progress(String message) {
        String line = escape(redactor.redact(message));
        err.println("coder-ssh: " + line);
        write("INFO", line);
    }

    /** Recorded in the file only (the caller prints its own one-liner). */
    public void error(String message) {
        write("ERROR", escape(redactor.redact(message)));
    }

    private synchronized void write(String level, String line) {
        if (file == null) {
            return;
        }
        try {
            Path dir = file.toPath().getParent();
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            if (file.length() > MAX_BYTES) {
                rotate();
            }
            String text = Timestamps.iso(clock.millis()) + " " + level + " [" + pid + "] " + line + "\n";
            // One write per line with O_APPEND: concurrent proxies interleave whole lines. Created
            // 0600 whatever the umask; NOFOLLOW: a symlink planted as proxy.log is not followed.
            try (SeekableByteChannel out = Files.newByteChannel(file.toPath(), Set.of(StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                out.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            }
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            // Diagnostics must never cost the user their connection.
        }
    }

    /**
     * One event, one line: control characters (a host name with a newline, an escape sequence from
     * a server's error text) are written as {@code \\xNN}, on stderr as in the file, so nothing
     * logged can forge a line or drive the terminal.
     */
    static String escape(String s) {
        return TerminalText.escape(s);
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
