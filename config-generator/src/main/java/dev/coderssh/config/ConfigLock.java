package dev.coderssh.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

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
record ConfigLock(java.util.concurrent.locks.ReentrantLock local, FileChannel channel, FileLock lock, Path path)
        implements AutoCloseable {
    private static final java.util.concurrent.ConcurrentHashMap<Path, java.util.concurrent.locks.ReentrantLock> LOCAL =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final byte[] RELEASED = "released\n".getBytes(StandardCharsets.US_ASCII);

    static ConfigLock acquire(Path path) throws IOException {
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
                        return new ConfigLock(local, ch, lock, path);
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
