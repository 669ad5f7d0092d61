package dev.coderssh.core.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Disk space for a credentials file, taken before a refresh asks the server. At Coder a refresh
 * ends the old pair the moment the server answers, so a save that then fails for lack of space
 * loses the sign-in. The reservation is a temp file beside the target, written full-size and
 * fsynced first; {@link #commit} overwrites those already-allocated blocks in place and renames,
 * which needs no new space. It holds only zeros until then. Its own name pattern keeps
 * {@link SecureFiles#writeAtomic}'s one-minute clean-up of temp files away from a login that
 * waits minutes for the browser. A process ended by a signal it can handle (SIGTERM, SIGINT,
 * SIGHUP: a closed terminal, a login given up) removes its reservation on the way out; one a
 * SIGKILL left behind goes after an hour.
 */
public final class SpaceReservation implements AutoCloseable {
    /** Far more than any credentials document (a few hundred bytes; keyring-held: less). */
    static final int MIN_SIZE = 16 * 1024;
    /** Longer than any login waits for a browser by default; file times, so the wall clock. */
    static final long STALE_MILLIS = 3_600_000;
    private final Path target;
    private final Path temp;
    private final Thread onExit;
    private boolean committed;

    private SpaceReservation(Path target, Path temp) {
        this.target = target;
        this.temp = temp;
        // An inner class, not a lambda: no invokedynamic bootstrap on the refresh path.
        this.onExit = new Thread("coder-ssh-reservation") {
            @Override
            public void run() {
                close();
            }
        };
        try {
            Runtime.getRuntime().addShutdownHook(onExit);
        } catch (IllegalStateException e) {
            // Already shutting down: close() comes soon enough.
        }
    }

    /** Takes max(16 KiB, twice the current file) beside {@code target}; fails when the disk cannot hold it. */
    static SpaceReservation take(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        long size = Math.max(MIN_SIZE, 2 * (Files.isRegularFile(target) ? Files.size(target) : 0));
        SecureFiles.removeOlder(dir, "." + target.getFileName() + ".reserve-*", STALE_MILLIS); // a leftover holds only zeros
        Path temp = dir.resolve("." + target.getFileName() + ".reserve-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try (FileChannel ch = FileChannel.open(temp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                SecureFiles.fileAttrs())) {
            ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(size, 1 << 20));
            long left = size;
            while (left > 0) {
                zeros.clear().limit((int) Math.min(left, zeros.capacity()));
                left -= ch.write(zeros);
            }
            ch.force(true); // the blocks are allocated now, not at the first write-back
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return new SpaceReservation(target, temp);
    }

    /** Replaces the target with {@code data} through the reserved file: in place, fsync, rename. */
    synchronized void commit(byte[] data) throws IOException {
        if (committed || !Files.isRegularFile(temp, LinkOption.NOFOLLOW_LINKS) || data.length > Files.size(temp)) {
            SecureFiles.writeAtomic(target, data); // cleaned up meanwhile (a login waiting hours): the plain way
            return;
        }
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf, buf.position());
            }
            ch.truncate(data.length);
            ch.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        committed = true;
        SecureFiles.fsyncDir(target.toAbsolutePath().getParent());
    }

    /** An I/O failure as a person reads it, without Java's class names. */
    static String describe(IOException e) {
        String m = e.getMessage();
        if (m != null && m.contains("No space left")) {
            return "no space left on the device";
        }
        if (m != null && m.contains("Read-only file system")) {
            return "the file system is read-only";
        }
        return SecureFiles.describe(e);
    }

    @Override
    public synchronized void close() {
        if (Thread.currentThread() != onExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(onExit);
            } catch (IllegalStateException e) {
                // Shutting down: the hook runs this anyway.
            }
        }
        if (!committed) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // Owner-only and never read; the next write of the target removes stale ones.
            }
        }
    }
}
