package dev.coderssh.proxy;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.home.CoderSshHome;
import dev.coderssh.core.store.SecureFiles;
import dev.coderssh.core.token.AccessToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The launcher's JVM-free fast path. A JVM start is most of what the proxy costs a connection
 * (about 50 ms against a 250 ms connect), and on the fast path the JVM only re-derives a plan it
 * derived last time. So the plan is kept on disk, in the file the launcher names
 * ({@value #FILE_ENV}, derived from its argv), and the next {@code proxy} with the same argv
 * {@code exec}s the CLI straight from it, reading it with shell builtins only.
 *
 * <p>The launcher uses an entry only while all of these hold, and otherwise runs the JVM as before
 * (which rewrites it): every argument matches the recorded argv; {@code until} (epoch seconds) has
 * not passed; the credentials file it names exists and is not newer than the entry (a refresh, a
 * new sign-in, a logout or a hand edit all change or remove it); the CLI is executable.
 * {@code until} is the token's {@link AccessToken#reusableUntil}, capped at {@link #MAX_AGE} so
 * nothing else the JVM would check (the CLI install, for one) goes unchecked for long.
 *
 * <p>Only what may be repeated without the JVM is kept: an explicit {@code --url} (without it the
 * JVM chooses among the sign-ins), no {@code -v} (its diagnostics come from the JVM), and never a
 * token held in the keyring ({@code reusableUntil} null): a copy on disk would defeat the point of
 * keeping it there. The entry holds the access token, so it gets the credentials file's
 * protection: 0600 in a 0700 directory, written under a private name and renamed into place.
 */
final class PlanCache {
    static final String FILE_ENV = "CODER_SSH_PLAN_CACHE_FILE";
    static final String MAGIC = "coder-ssh-plan-cache-1";
    static final Duration MAX_AGE = Duration.ofHours(1);
    /** The launcher's prefix for entry names; it keeps them clear of "." and "..". */
    static final String PREFIX = "p_";

    private PlanCache() {
    }

    /** The entry the launcher asked for, or null when there is none or it lies outside the cache. */
    static Path requested(Map<String, String> env, CoderSshHome home) {
        String named = env.get(FILE_ENV);
        if (named == null || named.isEmpty() || named.indexOf('\0') >= 0) {
            return null;
        }
        Path file = Path.of(named).toAbsolutePath().normalize();
        Path dir = directory(home);
        if (!dir.equals(file.getParent()) || !file.getFileName().toString().startsWith(PREFIX)) {
            // The launcher and the JVM resolved different homes ($HOME vs user.home): no cache.
            return null;
        }
        return file;
    }

    static Path directory(CoderSshHome home) {
        return home.plans().toAbsolutePath().normalize();
    }

    /** The entry's text, or null when this plan must not be kept (see the class comment). */
    static String encode(List<String> argv, Instant until, Path credentials, String plan) {
        StringBuilder sb = new StringBuilder(plan.length() + 256);
        sb.append(MAGIC).append('\n');
        sb.append("until ").append(until.getEpochSecond()).append('\n');
        if (!oneLine(credentials.toString())) {
            return null;
        }
        sb.append("credentials ").append(credentials).append('\n');
        sb.append("argc ").append(argv.size()).append('\n');
        for (String a : argv) {
            if (!oneLine(a)) {
                return null;
            }
            sb.append("argv ").append(a).append('\n');
        }
        return sb.append(plan).toString();
    }

    /** The deadline to record: the token's, capped; null when the token must not be kept. */
    static Instant until(AccessToken token, Instant now) {
        Instant reusable = token.reusableUntil();
        if (reusable == null) {
            return null;
        }
        Instant cap = now.plus(MAX_AGE);
        return reusable.isAfter(cap) ? cap : reusable;
    }

    /** After a failed write, how long the next connections skip writing (a full disk stays full). */
    static final Duration BACKOFF = Duration.ofHours(1);
    /** The marker of a failed write, beside the entries (the launcher only reads {@code p_*}). */
    static final String FAILED = ".write-failed";

    /**
     * Writes the entry atomically; false (and nothing left behind) if that fails. The cache, plans
     * directory and the state root above them are checked first as every directory we trust is
     * (the launcher execs what is in here). A failure only costs speed, and is remembered for
     * {@link #BACKOFF} so a full or read-only disk is not tried again per connection.
     */
    static boolean write(Path file, String text) {
        Path dir = file.getParent();
        Path failed = dir.resolve(FAILED);
        if (recentlyFailed(failed)) {
            return false;
        }
        // Unused is enough (CREATE_NEW), and ProcessHandle's start-up would cost this JVM milliseconds.
        Path tmp = dir.resolve(".tmp-" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()));
        try {
            SecureFiles.ensurePrivateDir(dir.getParent().getParent(), System.err);
            SecureFiles.ensurePrivateDir(dir.getParent(), System.err);
            SecureFiles.ensurePrivateDir(dir, System.err);
            try (SeekableByteChannel ch = Files.newByteChannel(tmp, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
            // No fsync: after a crash a lost or torn entry only costs one JVM start (the launcher
            // needs the plan's end marker, and the credentials file's mtime still applies).
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException | CoderSshException e) {
            delete(tmp);
            markFailed(failed);
            return false;
        }
    }

    private static boolean recentlyFailed(Path marker) {
        try {
            long at = Files.getLastModifiedTime(marker, LinkOption.NOFOLLOW_LINKS).toMillis();
            return System.currentTimeMillis() - at < BACKOFF.toMillis();
        } catch (IOException e) {
            return false; // no marker
        }
    }

    private static void markFailed(Path marker) {
        try {
            if (Files.isDirectory(marker.getParent(), LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(marker);
                Files.createFile(marker);
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // A disk too full for an empty file: each connection tries once more, and fails fast.
        }
    }

    /**
     * Removes the launcher's lock for this argv ({@code <entry>.lock/<pid>}), which tells peers
     * waiting for this JVM's entry that none is coming. The launcher removes it too once the JVM
     * exits; this is for a JVM that stays (the direct transport relays for the whole session).
     */
    static void releaseLock(Map<String, String> env, CoderSshHome home) {
        Path file = requested(env, home);
        if (file == null) {
            return;
        }
        Path lock = file.resolveSibling(file.getFileName() + ".lock");
        try (java.nio.file.DirectoryStream<Path> owners = Files.newDirectoryStream(lock)) {
            for (Path p : owners) {
                delete(p);
            }
        } catch (IOException e) {
            return; // no lock (the cache is off, or none was taken)
        }
        delete(lock);
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // The credentials file's mtime check still guards a stale entry.
        }
    }

    /** No control characters: the launcher's entry is line-based, and it logs the host unescaped. */
    private static boolean oneLine(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }
}
