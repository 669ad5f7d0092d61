package dev.coderssh.core.token;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@link LiveSessions} over {@code $CODER_SSH_HOME/sessions}: one empty file {@code <key id>.<pid>}
 * per CLI session, written by the launcher just before it {@code exec}s the CLI (which keeps the
 * launcher's pid), or by the JVM for a CLI it runs as a child. A file stands for a live session
 * while a process with that pid exists and started no later than the file was written: a pid reused
 * by a later process started after it. Files of ended sessions are removed when counted.
 */
public final class SessionFiles implements LiveSessions {
    /** The kernel's start time is derived from boot time in whole seconds: allow for the rounding. */
    static final Duration START_SLACK = Duration.ofSeconds(2);
    private final Path dir;

    public SessionFiles(Path dir) {
        this.dir = dir;
    }

    @Override
    public int holding(String keyId) {
        if (!validKeyId(keyId) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        int live = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                int dot = name.lastIndexOf('.');
                if (dot <= 0) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(name.substring(dot + 1));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (!alive(f, pid)) {
                    Files.deleteIfExists(f);
                } else if (name.substring(0, dot).equals(keyId)) {
                    live++;
                }
            }
        } catch (IOException e) {
            return live;
        }
        return live;
    }

    /** Records a CLI started as our child (no launcher to do it). */
    public void register(String accessToken, long pid) {
        String id = keyId(accessToken);
        if (id == null || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.deleteIfExists(dir.resolve(id + "." + pid));
            Files.createFile(dir.resolve(id + "." + pid));
        } catch (IOException ignored) {
            // deferral is an optimisation; the session itself does not depend on it
        }
    }

    /** The key id of a Coder API key {@code ID-SECRET}, or null. */
    public static String keyId(String accessToken) {
        int dash = accessToken == null ? -1 : accessToken.indexOf('-');
        String id = dash > 0 ? accessToken.substring(0, dash) : null;
        return validKeyId(id) ? id : null;
    }

    private static boolean validKeyId(String id) {
        if (id == null || id.isEmpty() || id.length() > 64) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char ch = id.charAt(i);
            if (!(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9')) {
                return false;
            }
        }
        return true;
    }

    private static boolean alive(Path file, long pid) throws IOException {
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty() || !p.get().isAlive()) {
            return false;
        }
        Optional<Instant> started = p.get().info().startInstant();
        if (started.isEmpty()) {
            return true;
        }
        Instant written = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .lastModifiedTime().toInstant();
        return !started.get().isAfter(written.plus(START_SLACK));
    }
}
