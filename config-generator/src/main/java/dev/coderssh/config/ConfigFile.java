package dev.coderssh.config;

import dev.coderssh.core.CoderSshException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The user's ssh config file on disk: read and replaced under an exclusive lock, written to a temp
 * file in the same directory, fsynced and renamed over the old one, so a crash leaves the old or
 * the new file and never half of one. A symlinked config (dotfile managers) is written through to
 * its target rather than replaced by a regular file.
 *
 * <p>Content is handled as ISO-8859-1, one char per byte, so bytes that are not valid UTF-8 (a
 * Latin-1 comment, say) survive a rewrite exactly; see {@link #bytesOf(String)} for our own text.
 */
final class ConfigFile {
    private static final Set<PosixFilePermission> NEW_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> NEW_DIR = PosixFilePermissions.fromString("rwx------");
    /** Linux's own limit (MAXSYMLINKS). */
    static final int MAX_HOPS = 40;
    /** Redos of one update when another writer keeps changing the file under us. */
    static final int MAX_ATTEMPTS = 5;

    /** Work done while the lock is held: gets the current content (null if none), returns the new one. */
    interface Update {
        String apply(String current) throws IOException;
    }

    private final Path path;

    ConfigFile(Path path) {
        this.path = path.toAbsolutePath();
    }

    /** Our own (UTF-8) text in this class's one-char-per-byte form. */
    static String bytesOf(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** The inverse of {@link #bytesOf}, for showing file content to a person. */
    static String textOf(String bytes) {
        return new String(bytes.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    Path path() {
        return path;
    }

    /** The current content, or null when the file does not exist. Lock-free: for --dry-run. */
    String read() {
        try {
            return snapshot(target()).content();
        } catch (IOException e) {
            throw ConfigFileErrors.failure("cannot read", path, e);
        }
    }

    /**
     * Runs {@code update} under the lock and writes its result when it differs from the current
     * content. Returns true when the file was written. The content is re-read after taking the lock
     * so a concurrent run's write is never lost; a writer that does not take our lock (an editor,
     * {@code echo >> config}) is caught by comparing the file just before the rename, and the
     * update is redone on what it wrote. Every failure is a one-line {@code CoderSshException}.
     */
    boolean update(Update update) {
        try {
            return locked(update);
        } catch (IOException e) {
            throw ConfigFileErrors.failure("cannot write", path, e);
        }
    }

    @SuppressWarnings("try") // the lock is held for the block's duration, never referenced
    private boolean locked(Update update) throws IOException {
        Path target = target();
        Path dir = target.getParent();
        createDirectory(dir);
        Path lockPath = dir.resolve("." + target.getFileName() + ".coder-ssh.lock");
        try (ConfigLock ignored = ConfigLock.acquire(lockPath)) {
            for (int attempt = 1; ; attempt++) {
                Snapshot before = snapshot(target);
                String next = update.apply(before.content());
                if (next == null || next.equals(before.content())) {
                    return false;
                }
                Set<PosixFilePermission> mode = before.content() == null ? NEW_FILE : permissions(target);
                if (before.content() != null) {
                    replace(dir, target.resolveSibling(target.getFileName() + ".bak"), before.content(), mode, null, null);
                }
                if (replace(dir, target, next, mode, target, before)) {
                    return true;
                }
                if (attempt >= MAX_ATTEMPTS) {
                    throw CoderSshException.failure(path + " kept changing while config-ssh was writing it ("
                            + attempt + " tries); nothing was written, run config-ssh again");
                }
            }
        }
    }

    /** The content (null when missing) and the attributes that change with any write to it. */
    private record Snapshot(String content, long size, FileTime modified, Object key) {
    }

    private static Snapshot snapshot(Path file) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return new Snapshot(null, -1, null, null);
        }
        if (attrs.isDirectory()) {
            throw new FileSystemException(file.toString(), null, "Is a directory");
        }
        String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        return new Snapshot(content, attrs.size(), attrs.lastModifiedTime(), attrs.fileKey());
    }

    /**
     * The file ssh reads: each symlink hop is resolved against the real directory holding the
     * link, as the kernel does, so {@code ../x} under a symlinked directory goes where ssh goes
     * (a lexical {@code normalize()} once wrote a new file beside the one ssh kept reading). A
     * dangling link is written at its target path. More than {@link #MAX_HOPS} hops is a loop.
     */
    private Path target() throws IOException {
        Path p = path;
        for (int hops = 0; Files.isSymbolicLink(p); hops++) {
            if (hops >= MAX_HOPS) {
                throw new FileSystemException(path.toString(), null, "Too many levels of symbolic links");
            }
            p = realDirectory(p.getParent()).resolve(Files.readSymbolicLink(p));
        }
        return realDirectory(p.getParent()).resolve(p.getFileName());
    }

    /** {@code dir} with every existing component's links followed; missing ones are created later. */
    private static Path realDirectory(Path dir) throws IOException {
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return dir;
        }
        return existing.toRealPath().resolve(existing.relativize(dir)).normalize();
    }

    private static void createDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (posix(dir.getParent() == null ? dir : dir.getParent())) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(NEW_DIR));
        } else {
            Files.createDirectories(dir);
        }
    }

    private static Set<PosixFilePermission> permissions(Path file) throws IOException {
        return posix(file) ? Files.getPosixFilePermissions(file) : null;
    }

    private static boolean posix(Path p) {
        return p != null && p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /**
     * Writes {@code content} to a fsynced temp file and renames it over {@code target}; when
     * {@code expected} is given, the rename happens only if {@code watched} still matches it
     * (checked last, to keep the window for an uncooperative writer as small as it can be).
     */
    private static boolean replace(Path dir, Path target, String content, Set<PosixFilePermission> mode,
                                   Path watched, Snapshot expected) throws IOException {
        Path tmp = dir.resolve("." + target.getFileName() + ".coder-ssh-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        FileAttribute<?>[] attrs = mode == null ? new FileAttribute<?>[0]
                : new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)};
        try {
            try (FileChannel ch = FileChannel.open(Files.createFile(tmp, attrs), StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content.getBytes(StandardCharsets.ISO_8859_1));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            if (mode != null) {
                // The umask may have narrowed the mode given at creation.
                Files.setPosixFilePermissions(tmp, mode);
            }
            if (expected != null && !expected.equals(snapshot(watched))) {
                return false;
            }
            move(tmp, target);
            fsyncDirectory(dir);
            return true;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void move(Path tmp, Path target) throws IOException {
        // Windows refuses to replace a file another process has open; IDEs read ssh config often.
        for (int attempt = 0; ; attempt++) {
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return;
            } catch (AtomicMoveNotSupportedException e) {
                throw e;
            } catch (AccessDeniedException e) {
                if (attempt >= 9) {
                    throw e;
                }
                sleep(50L * (attempt + 1));
            } catch (FileSystemException e) {
                if (attempt >= 9 || !System.getProperty("os.name", "").startsWith("Windows")) {
                    throw e;
                }
                sleep(50L * (attempt + 1));
            }
        }
    }

    private static void sleep(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while retrying a rename", e);
        }
    }

    private static void fsyncDirectory(Path dir) {
        // Makes the rename durable on Linux; not possible on Windows, where opening a directory fails.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Best effort: the data itself was fsynced before the rename.
        }
    }
}
