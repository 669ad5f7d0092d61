package dev.coderssh.core.store;

import dev.coderssh.core.CoderSshException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.Set;

/**
 * Owner-only files and directories: permissions set at creation (never create-then-chmod, which
 * leaves a window where others can open the file), atomic replacement (temp file in the same
 * directory, fsync, rename, fsync of the directory) so a crash leaves the old or the new file.
 */
public final class SecureFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> GROUP_OTHER = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final Set<PosixFilePermission> WRITE_BY_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    /** Far more than any file we write (a credentials file is about 1 KiB). */
    public static final int MAX_PRIVATE_BYTES = 1024 * 1024;

    /** A private file larger than {@link #MAX_PRIVATE_BYTES}: not one we wrote. */
    public static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException(Path file) {
            super(file + " is larger than " + (MAX_PRIVATE_BYTES / 1024) + " KiB");
        }
    }

    /** Far longer than any write takes; file times, not logic time, so the wall clock is right here. */
    static final long STALE_TEMP_MILLIS = 60_000;

    private SecureFiles() {
    }

    static FileAttribute<?>[] fileAttrs() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
    }

    private static FileAttribute<?>[] dirAttrs() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                : new FileAttribute<?>[0];
    }

    /**
     * Checks the state root (creating it owner-only if missing) as {@link #ensurePrivateDir} checks
     * every directory under it.
     */
    public static void checkRoot(Path root) {
        try {
            // The root is the gate to everything below: one others could write may already hold
            // their files, so it is refused rather than repaired.
            if (POSIX && Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)
                    && intersects(Files.getPosixFilePermissions(root, LinkOption.NOFOLLOW_LINKS), WRITE_BY_OTHERS)) {
                throw CoderSshException.failure("refusing to use " + root
                        + ": it is writable by other users (check it, then run `chmod 700 " + root + "`)");
            }
            ensurePrivateDir(root, System.err);
        } catch (IOException e) {
            throw CoderSshException.failure("cannot use " + root + ": " + describe(e));
        }
    }

    /**
     * Creates {@code dir} (and missing parents) owner-only, or checks the one there, before anything
     * is read from or written to it: a symlink, a non-directory or a directory owned by another
     * user is refused (they could swap what is inside); one of ours that group or others may use is
     * restricted to 0700 with a warning, as OpenSSH-style "bad permissions" handling would (a
     * umask of 002 made many such). What is executed from inside is checked file by file.
     *
     * @return whether it was repaired: what others could have written inside is not ours any more
     */
    public static boolean ensurePrivateDir(Path dir, PrintStream warnings) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir, dirAttrs());
            return false;
        }
        String refusal = PathCheck.refusal(dir, true);
        if (refusal != null) {
            throw CoderSshException.failure("refusing to use " + dir + ": " + refusal);
        }
        if (POSIX) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
            if (intersects(perms, GROUP_OTHER)) {
                warnings.println("coder-ssh: warning: " + dir + " was accessible by other users; restricting it to you");
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                return true;
            }
        }
        return false;
    }

    /** An I/O failure in words, never an exception class name. */
    public static String describe(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : "input/output error";
    }

    /**
     * Reads a private file, or returns null if it does not exist. A symlink is refused (it could
     * point at another user's file); a file readable by others is repaired with a warning.
     */
    public static byte[] readPrivate(Path file, PrintStream warnings) throws IOException {
        if (Files.isSymbolicLink(file)) {
            throw CoderSshException.failure("refusing to read " + file + ": it is a symbolic link");
        }
        // Before the read: another user's file (left in a directory once open to them) is not our
        // sign-in, and a FIFO or device would block or never end.
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            String refusal = PathCheck.refusal(file, false);
            if (refusal != null) {
                throw CoderSshException.failure("refusing to read " + file + ": " + refusal);
            }
        }
        byte[] data;
        try (java.io.InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            // Bounded: a huge file (60 MB of garbage, say) is corrupt, not a reason to run out of memory.
            data = in.readNBytes(MAX_PRIVATE_BYTES + 1);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (data.length > MAX_PRIVATE_BYTES) {
            throw new TooLargeException(file);
        }

        if (POSIX) {
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
                if (intersects(perms, GROUP_OTHER)) {
                    warnings.println("coder-ssh: warning: " + file + " was readable by other users; restricting it to you"
                            + " (consider signing in again)");
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                }
            } catch (NoSuchFileException e) {
                // A concurrent logout deleted it between the read and this check: signed out, as if
                // the read had come a moment later (found by ConcurrentMixIT).
                return null;
            }
        }
        return data;
    }

    /** Replaces {@code target} atomically with {@code data}, owner-only from the first byte. */
    public static void writeAtomic(Path target, byte[] data) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (Files.isSymbolicLink(target)) {
            throw CoderSshException.failure("refusing to replace " + target + ": it is a symbolic link");
        }
        removeStaleTemps(dir, target.getFileName().toString());
        // The name only has to be unused (CREATE_NEW checks that), not unguessable: no SecureRandom,
        // whose providers and seeding cost the refresh path tens of classes and milliseconds.
        // On a clash, another name: the temp file with this one is someone else's write.
        Path temp;
        SeekableByteChannel created;
        for (int attempt = 1; ; attempt++) {
            temp = dir.resolve("." + target.getFileName() + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
            try {
                created = Files.newByteChannel(temp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                        fileAttrs());
                break;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
        boolean moved = false;
        try {
            try (SeekableByteChannel ch = created) {
                ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ((FileChannel) ch).force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            fsyncDir(dir);
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * Deletes temp files of {@code name} that a process killed mid-write left behind (they hold
     * secrets). Only old ones: a fresh one may be another process's write in progress.
     */
    private static void removeStaleTemps(Path dir, String name) {
        removeOlder(dir, "." + name + ".tmp-*", STALE_TEMP_MILLIS);
    }

    /** Deletes the files of {@code dir} matching {@code glob} not modified for {@code ageMillis}; best effort. */
    static void removeOlder(Path dir, String glob, long ageMillis) {
        long cutoff = System.currentTimeMillis() - ageMillis;
        try (java.nio.file.DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
            for (Path p : ds) {
                if (Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis() < cutoff) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException | java.nio.file.DirectoryIteratorException e) {
            // Best effort: a leftover temp file is owner-only and never read.
        }
    }

    /** Makes a rename or delete durable; a no-op where directories cannot be opened (Windows). */
    static void fsyncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Windows cannot open a directory; NTFS journals the rename anyway.
        }
    }

    private static boolean intersects(Set<PosixFilePermission> a, Set<PosixFilePermission> b) {
        for (PosixFilePermission p : b) {
            if (a.contains(p)) {
                return true;
            }
        }
        return false;
    }
}
