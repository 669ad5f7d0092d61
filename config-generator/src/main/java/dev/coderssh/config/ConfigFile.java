package dev.coderssh.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
    String read() throws IOException {
        Path target = target();
        try {
            return new String(Files.readAllBytes(target), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Runs {@code update} under the lock and writes its result when it differs from the current
     * content. Returns true when the file was written. The content is re-read after taking the lock
     * so a concurrent run's write is never lost.
     */
    @SuppressWarnings("try") // the lock is held for the block's duration, never referenced
    boolean update(Update update) throws IOException {
        Path target = target();
        Path dir = target.getParent();
        createDirectory(dir);
        Path lockPath = dir.resolve("." + target.getFileName() + ".coder-ssh.lock");
        try (Lock ignored = Lock.acquire(lockPath)) {
            String current = read();
            String next = update.apply(current);
            if (next == null || next.equals(current)) {
                return false;
            }
            Set<PosixFilePermission> mode = current == null ? NEW_FILE : permissions(target);
            if (current != null) {
                replace(dir, target.resolveSibling(target.getFileName() + ".bak"), current, mode);
            }
            replace(dir, target, next, mode);
            return true;
        }
    }

    private Path target() throws IOException {
        // Follow a symlink to the real file; a dangling one is written at its target path.
        Path p = path;
        for (int i = 0; i < 40 && Files.isSymbolicLink(p); i++) {
            p = p.resolveSibling(Files.readSymbolicLink(p)).normalize();
        }
        return p;
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

    private static void replace(Path dir, Path target, String content, Set<PosixFilePermission> mode) throws IOException {
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
            move(tmp, target);
            fsyncDirectory(dir);
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

    /**
     * An exclusive lock on a sidecar file, deleted on release so no stray lock file stays behind.
     * Deleting invites a race: a waiter blocked on the file its holder then deletes wins the lock on
     * that orphan while a third process locks a new file at the path. So the holder first writes a
     * "released" mark into the file through its own descriptor, then deletes it, then unlocks; a
     * process that wins the lock on a marked file starts over on the path. (Comparing the path's
     * inode before and after is not enough: when nobody has the file, both read "missing".) If the
     * path still shows the marked inode, its holder died between marking and deleting: take it
     * over. Opening and closing the lock file by another descriptor would drop the lock (POSIX
     * record locks belong to the process), so it is read and written only through the locked one.
     *
     * <p>Threads of one JVM are serialised first by an in-process lock per path: the JVM refuses a
     * second FileLock on a file it already locks (OverlappingFileLockException).
     */
    private record Lock(java.util.concurrent.locks.ReentrantLock local, FileChannel channel, FileLock lock, Path path)
            implements AutoCloseable {
        private static final java.util.concurrent.ConcurrentHashMap<Path, java.util.concurrent.locks.ReentrantLock> LOCAL =
                new java.util.concurrent.ConcurrentHashMap<>();
        private static final byte[] RELEASED = "released\n".getBytes(StandardCharsets.US_ASCII);

        static Lock acquire(Path path) throws IOException {
            java.util.concurrent.locks.ReentrantLock local =
                    LOCAL.computeIfAbsent(path.toAbsolutePath().normalize(), p -> new java.util.concurrent.locks.ReentrantLock());
            local.lock();
            boolean done = false;
            try {
                while (true) {
                    Object before = fileKey(path);
                    FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
                    boolean keep = false;
                    try {
                        FileLock lock = ch.lock();
                        if (!released(ch) || stillAtPath(before, fileKey(path))) {
                            ch.truncate(0);
                            keep = true;
                            done = true;
                            return new Lock(local, ch, lock, path);
                        }
                    } finally {
                        if (!keep) {
                            ch.close();
                        }
                    }
                }
            } finally {
                if (!done) {
                    local.unlock();
                }
            }
        }

        private static boolean released(FileChannel ch) throws IOException {
            ByteBuffer head = ByteBuffer.allocate(RELEASED.length);
            while (head.hasRemaining() && ch.read(head, head.position()) > 0) {
                // read on: a short read is possible in principle
            }
            return !head.hasRemaining() && java.util.Arrays.equals(head.array(), RELEASED);
        }

        /**
         * Whether the marked file we locked is the one at the path (its holder died before deleting
         * it). Without file keys (Windows) an open file cannot be deleted, so there are no orphans.
         */
        private static boolean stillAtPath(Object before, Object after) {
            return before == null ? after == null : before != MISSING && before.equals(after);
        }

        private static final Object MISSING = new Object();

        /** The path's inode; {@link #MISSING} when there is no file, null without file keys. */
        private static Object fileKey(Path path) throws IOException {
            try {
                return Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS).fileKey();
            } catch (NoSuchFileException e) {
                return MISSING;
            }
        }

        @Override
        public void close() throws IOException {
            try {
                channel.write(ByteBuffer.wrap(RELEASED), 0);
                Files.deleteIfExists(path);
            } finally {
                try {
                    lock.release();
                    channel.close();
                } finally {
                    local.unlock();
                }
            }
        }
    }
}
