package dev.coderssh.core.login;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads pasted lines without echo when stdin is a terminal: a token or a redirect carrying a code
 * must not land in the scrollback. Prompts go to stderr, so they show with stdout redirected.
 *
 * <p>Echo goes off before the first prompt is printed and stays off until {@link #restore()}: a
 * person types the moment a prompt (or "paste again") shows, and every key from then on is hidden.
 */
final class PasteReader {
    private static final Path STTY = Path.of("/bin/stty");
    private final InputStream in;
    private final PrintStream err;
    private BufferedReader lines;
    /** Set while this reader holds the terminal's echo off; the hook turns it on if the JVM exits first. */
    private Thread restoreHook;
    private boolean restored;

    PasteReader(InputStream in, PrintStream err) {
        this.in = in;
        this.err = err;
    }

    /** The next line, or null at end of input. Hidden when {@code hidden} and stdin is a terminal. */
    String read(String prompt, boolean hidden) throws IOException {
        if (isRestored()) {
            return null; // the wait is over: nothing more is read
        }
        boolean terminal = hidden && in == System.in && dev.coderssh.core.cli.Terminal.stdinIsTerminal();
        boolean echoOff = terminal && echoOff();
        if (terminal && !echoOff && System.console() != null) {
            // No usable stty: the JDK's console also turns echo off before it writes the prompt.
            char[] typed = System.console().readPassword("%s", prompt);
            return typed == null ? null : new String(typed);
        }
        err.print(prompt);
        err.flush();
        if (lines == null) {
            lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        String line = lines.readLine();
        if (echoOff) {
            err.println(); // the Enter was not echoed either
        }
        return line;
    }

    /** Turns echo back on if this reader turned it off; the terminal is as it was. */
    synchronized void restore() {
        restored = true;
        if (restoreHook == null) {
            return;
        }
        stty("echo");
        try {
            Runtime.getRuntime().removeShutdownHook(restoreHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook restores it (again: harmless)
        }
        restoreHook = null;
    }

    /** Echo off until {@link #restore()}; false when it cannot be turned off. */
    private synchronized boolean isRestored() {
        return restored;
    }

    private synchronized boolean echoOff() {
        if (restoreHook != null) {
            return true;
        }
        if (restored) {
            return false;
        }
        if (!stty("-echo")) {
            return false;
        }
        // The browser may finish while a thread still waits for a line: the JVM then exits without
        // anyone calling restore, and the terminal must not be left without echo.
        restoreHook = new Thread(new Runnable() {
            @Override
            public void run() {
                stty("echo");
            }
        }, "restore-echo");
        Runtime.getRuntime().addShutdownHook(restoreHook);
        return true;
    }

    /** The system's stty (root's /bin, never PATH) on the terminal itself. */
    private static boolean stty(String mode) {
        if (!Files.isExecutable(STTY)) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(STTY.toString(), mode).redirectInput(new File("/dev/tty"))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
