package dev.coderssh.core.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a person is at stdin, asked the way that still works with stdout redirected. */
public final class Terminal {
    private Terminal() {
    }

    /** System.console() is null whenever stdout is redirected; /proc tells what stdin itself is. */
    public static boolean stdinIsTerminal() {
        return System.console() != null || isTerminal(0);
    }

    /** Whether stderr is a terminal: a plain {@code ssh} run shows it; an IDE logs it. */
    public static boolean stderrIsTerminal() {
        return isTerminal(2);
    }

    private static boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }
}
