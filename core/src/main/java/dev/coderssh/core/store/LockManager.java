package dev.coderssh.core.store;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.home.CoderSshHome;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One exclusive lock per deployment across every coder-ssh process of the user
 * ({@code locks/<fileKey>.lock}), so only one refresh, login or logout runs at a time.
 *
 * <p>The OS lock (fcntl via {@link FileChannel#tryLock()}) dies with its process, so a lock left
 * by a killed process is taken over at once, not after a timeout. The file names its owner (pid,
 * start time) for the error message. The holder marks the file "released" and deletes it before
 * unlocking; a waiter that then wins the lock on the deleted inode sees the mark and starts over on
 * the path, so no stray lock file stays behind. An in-process lock guards the same path because the
 * JVM refuses overlapping file locks within one process.
 */
public final class LockManager {
    private static final String RELEASED = "released\n";
    private final CoderSshHome home;
    private final PrintStream warnings;
    private final Map<String, ReentrantLock> inProcess = new HashMap<>();
    /** Retry jitter only: a SecureRandom would load the security providers on every fast path (~15 ms). */
    private final Random random = new Random();

    public LockManager(CoderSshHome home, PrintStream warnings) {
        this.home = home;
        this.warnings = warnings;
    }

    /** A held lock; closing releases it and removes the file. */
    public final class Held implements AutoCloseable {
        private final Path file;
        private final FileChannel channel;
        private final FileLock lock;
        private final ReentrantLock local;

        private Held(Path file, FileChannel channel, FileLock lock, ReentrantLock local) {
            this.file = file;
            this.channel = channel;
            this.lock = lock;
            this.local = local;
        }

        @Override
        public void close() {
            try {
                // Mark the inode dead before unlinking it, so a waiter that already opened it and
                // wins the lock after us knows to start over on the path.
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(RELEASED.getBytes(StandardCharsets.UTF_8)), 0);
                Files.deleteIfExists(file);
                lock.release();
                channel.close();
            } catch (IOException e) {
                // The OS drops the lock when the channel or process goes; nothing left to do.
            } finally {
                local.unlock();
            }
        }
    }

    public Held acquire(DeploymentUrl url, Duration timeout) {
        return acquireUnless(url, timeout, null);
    }

    /**
     * Like {@link #acquire}, but returns null instead of waiting on once {@code enough} says the
     * lock is no longer needed (checked between attempts on another process's lock): a storm of
     * ProxyCommands waiting for one refresh uses its result as soon as it is on disk instead of
     * taking the lock one after another.
     */
    public Held acquireUnless(DeploymentUrl url, Duration timeout, BooleanSupplier enough) {
        Path file = home.locks().resolve(url.fileKey() + ".lock");
        long deadline = System.nanoTime() + timeout.toNanos();
        ReentrantLock local = localLock(file.toString());
        try {
            if (!local.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                // Another thread of this process holds it: do not open the file (see tryOnce).
                throw CoderSshException.failure("timed out waiting for another sign-in or refresh for " + url
                        + " in this process");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CoderSshException.failure("interrupted while waiting for the lock for " + url);
        }
        boolean ok = false;
        try {
            SecureFiles.checkRoot(home.root());
            SecureFiles.ensurePrivateDir(home.locks(), warnings);
            while (true) {
                Held held = tryOnce(file, local);
                if (held != null) {
                    ok = true;
                    return held;
                }
                if (enough != null && enough.getAsBoolean()) {
                    return null;
                }
                if (System.nanoTime() > deadline) {
                    throw timedOut(url, file);
                }
                Thread.sleep(5 + random.nextInt(20));
            }
        } catch (IOException e) {
            throw CoderSshException.failure("cannot lock " + file + ": " + SecureFiles.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CoderSshException.failure("interrupted while waiting for the lock for " + url);
        } finally {
            if (!ok) {
                local.unlock();
            }
        }
    }

    /**
     * Takes the lock {@code locks/<fileKey>.<purpose>.lock} if nobody holds it, else returns null at
     * once. For locks held for minutes (the browser sign-in), which must not share the refresh
     * lock: waiters poll this and do other work (print the sign-in URL) in between.
     */
    public Held tryAcquire(DeploymentUrl url, String purpose) {
        if (!purpose.matches("[a-z-]+")) {
            throw new IllegalArgumentException("lock purpose must be lower-case letters");
        }
        Path file = home.locks().resolve(url.fileKey() + "." + purpose + ".lock");
        ReentrantLock local = localLock(file.toString());
        if (!local.tryLock()) {
            return null;
        }
        boolean ok = false;
        try {
            SecureFiles.checkRoot(home.root());
            SecureFiles.ensurePrivateDir(home.locks(), warnings);
            Held held = tryOnce(file, local);
            ok = held != null;
            return held;
        } catch (IOException e) {
            throw CoderSshException.failure("cannot lock " + file + ": " + SecureFiles.describe(e));
        } finally {
            if (!ok) {
                local.unlock();
            }
        }
    }

    private Held tryOnce(Path file, ReentrantLock local) throws IOException {
        Object keyBefore = fileKey(file);
        FileChannel ch = FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE), SecureFiles.fileAttrs());
        FileLock lock = null;
        try {
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                ch.close();
                return null;
            }
            // Read through our own channel: opening and closing another descriptor of this file
            // would drop our fcntl lock (POSIX releases a process's locks on any close).
            ByteBuffer head = ByteBuffer.allocate(RELEASED.length());
            ch.read(head, 0);
            if (new String(head.array(), 0, head.position(), StandardCharsets.UTF_8).equals(RELEASED)) {
                // Usually we locked an inode the previous holder already unlinked: start over on the
                // live path. But if the path still shows the inode we opened (stat, which opens
                // nothing), its holder died between marking and unlinking: take it over.
                Object keyAfter = fileKey(file);
                if (keyBefore == null || !keyBefore.equals(keyAfter)) {
                    lock.release();
                    ch.close();
                    return null;
                }
            }
            String owner = owner() + "\n";
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(owner.getBytes(StandardCharsets.UTF_8)), 0);
            return new Held(file, ch, lock, local);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * "pid=N start=INSTANT" for the lock file. From /proc where there is one: ProcessHandle's
     * initialisation bootstraps lambdas and an executor, tens of milliseconds on the refresh path.
     */
    static String owner() {
        try {
            File self = new File("/proc/self");
            if (self.exists()) {
                return "pid=" + self.getCanonicalFile().getName() + " start=" + procStart();
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        ProcessHandle self = ProcessHandle.current();
        java.util.Optional<java.time.Instant> start = self.info().startInstant();
        return "pid=" + self.pid() + " start=" + (start.isPresent() ? start.get().toString() : "?");
    }

    /** Start time from /proc/self/stat (field 22, in USER_HZ = 100 ticks since boot) and btime. */
    private static String procStart() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[19]);
            for (String line : Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("btime ")) {
                    long boot = Long.parseLong(line.substring(6).strip());
                    return java.time.Instant.ofEpochMilli(boot * 1000 + ticks * 10).toString();
                }
            }
        } catch (IOException | RuntimeException e) {
            // diagnostics only
        }
        return "?";
    }

    private static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    private synchronized ReentrantLock localLock(String key) {
        ReentrantLock l = inProcess.get(key);
        if (l == null) {
            l = new ReentrantLock();
            inProcess.put(key, l);
        }
        return l;
    }

    /** Only called without holding the lock: reading opens and closes another descriptor. */
    private static CoderSshException timedOut(DeploymentUrl url, Path file) {
        String owner;
        try {
            owner = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            owner = "unknown owner";
        }
        return CoderSshException.failure("timed out waiting for another coder-ssh process (" + owner
                + ") that is signing in or refreshing the token for " + url);
    }
}
