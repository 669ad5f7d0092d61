package dev.coderssh.config;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.ExitCode;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Turns a file-system failure on the ssh config into the one line a person reads (exit 1), with
 * the OS's reason in words and never a Java class name; every such failure happens before the
 * rename, so the line also says that the file was left as it was.
 */
final class ConfigFileErrors {
    private ConfigFileErrors() {
    }

    static CoderSshException failure(String what, Path path, IOException e) {
        return new CoderSshException(ExitCode.FAILURE,
                what + " " + path + ": " + reason(e) + "; nothing was written", e);
    }

    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof NotDirectoryException) {
            return "a path component is not a directory";
        }
        String why = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
        if (why == null) {
            return "input/output error";
        }
        String lower = why.toLowerCase(Locale.ROOT);
        if (lower.contains("read-only file system")) {
            return "read-only file system";
        }
        if (lower.contains("too many levels of symbolic links")) {
            return "symlink loop (too many levels of symbolic links)";
        }
        if (lower.contains("is a directory")) {
            return "it is a directory, not a file";
        }
        if (lower.contains("no space left")) {
            return "no space left on the device";
        }
        // The OS's own words (strerror text), made printable: they never hold a secret.
        return Names.describe(why).replace("\"", "");
    }
}
