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
 */
final class PasteReader {
    private static final Path STTY = Path.of("/bin/stty");
    private final InputStream in;
    private final PrintStream err;
    private BufferedReader lines;

    PasteReader(InputStream in, PrintStream err) {
        this.in = in;
        this.err = err;
    }

    /** The next line, or null at end of input. Hidden when {@code hidden} and stdin is a terminal. */
    String read(String prompt, boolean hidden) throws IOException {
        err.print(prompt);
        err.flush();
        if (hidden && in == System.in && System.console() != null) {
            char[] typed = System.console().readPassword();
            return typed == null ? null : new String(typed);
        }
        boolean echoOff = hidden && in == System.in && dev.coderssh.core.cli.Terminal.stdinIsTerminal() && stty("-echo");
        // The browser may finish while this thread still waits for a line: the JVM then exits
        // without reaching the finally, and the terminal must not be left without echo.
        Thread restore = new Thread(new Runnable() {
            @Override
            public void run() {
                stty("echo");
            }
        }, "restore-echo");
        if (echoOff) {
            Runtime.getRuntime().addShutdownHook(restore);
        }
        try {
            if (lines == null) {
                lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
            return lines.readLine();
        } finally {
            if (echoOff) {
                stty("echo");
                err.println();
                try {
                    Runtime.getRuntime().removeShutdownHook(restore);
                } catch (IllegalStateException shuttingDown) {
                    // the hook restores it
                }
            }
        }
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
