package dev.coderssh.proxy.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The CLI download's progress on a terminal: one line, rewritten every quarter second, with the
 * megabytes received so far (read off the temp file, so it works with every transport). Only on a
 * terminal: in an IDE's log each rewrite would be a line of its own, and there the two state lines
 * around the download say enough.
 */
final class DownloadProgress implements AutoCloseable {
    static final long PERIOD_MILLIS = 250;
    private final Thread thread;
    private final PrintStream tty;
    private final Path file;
    private volatile boolean done;
    private volatile boolean shown;

    private DownloadProgress(Path file, PrintStream tty) {
        this.file = file;
        this.tty = tty;
        // A class, not a lambda: this runs on the slow path, but the house keeps lambdas out of the proxy.
        this.thread = new Thread(new Runnable() {
            @Override
            public void run() {
                loop();
            }
        }, "cli-download-progress");
        thread.setDaemon(true);
    }

    /** Starts watching {@code file}; null {@code tty} means no terminal, and nothing is shown. */
    static DownloadProgress watch(Path file, PrintStream tty) {
        DownloadProgress p = new DownloadProgress(file, tty);
        if (tty != null) {
            p.thread.start();
        }
        return p;
    }

    private void loop() {
        while (!done) {
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            if (!done) {
                tty.print("\rcoder-ssh: downloading the Coder CLI: " + megabytes(size()) + " received");
                tty.flush();
                shown = true;
            }
        }
    }

    private long size() {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0; // not created yet, or already moved into place
        }
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }

    @Override
    public void close() {
        done = true;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (shown) {
            tty.println(); // the state line that follows starts on a line of its own
        }
    }
}
