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
        if (System.console() != null) {
            return true;
        }
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }
}
