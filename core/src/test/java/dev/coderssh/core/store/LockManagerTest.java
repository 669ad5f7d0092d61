package dev.coderssh.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.home.CoderSshHome;
import dev.coderssh.core.testing.Jvm;
import dev.coderssh.core.testing.LockHolderMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockManagerTest {
    static final DeploymentUrl URL = DeploymentUrl.parse("https://coder.example.com");
    @TempDir
    Path tmp;
    Path root;
    LockManager locks;

    @BeforeEach
    void setUp() throws Exception {
        root = tmp.resolve("home");
        Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        locks = new LockManager(new CoderSshHome(root), new PrintStream(new ByteArrayOutputStream()));
    }

    @Test
    void lockOfAKilledProcessIsReclaimedAtOnce() throws Exception {
        Process p = Jvm.builder(List.of(), LockHolderMain.class, root.toString(), URL.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            assertThat(new String(p.getInputStream().readNBytes(7))).isEqualTo("locked\n");
            Path file = root.resolve("locks").resolve(URL.fileKey() + ".lock");
            assertThat(Files.readString(file)).startsWith("pid=" + p.pid() + " start=");
            // While the owner lives, we time out and the message names it.
            assertThatThrownBy(() -> locks.acquire(URL, Duration.ofMillis(200)))
                    .isInstanceOf(CoderSshException.class).hasMessageContaining("pid=" + p.pid());
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        // The lock file is still there, naming the dead owner, but the OS lock died with the
        // process: a zero timeout (exactly one try, no waiting) takes it over.
        Path file = root.resolve("locks").resolve(URL.fileKey() + ".lock");
        assertThat(Files.readString(file)).startsWith("pid=" + p.pid() + " start=");
        try (LockManager.Held held = locks.acquire(URL, Duration.ZERO)) {
            assertThat(Files.readString(file)).startsWith("pid=" + ProcessHandle.current().pid() + " ");
        }
        try (var s = Files.list(root.resolve("locks"))) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void aReleaseMarkLeftByAHolderThatDiedBeforeUnlinkingIsTakenOver() throws Exception {
        Path dir = Files.createDirectories(root.resolve("locks"));
        Files.writeString(dir.resolve(URL.fileKey() + ".lock"), "released\n");
        try (LockManager.Held held = locks.acquire(URL, Duration.ofSeconds(2))) {
            assertThat(Files.readString(dir.resolve(URL.fileKey() + ".lock"))).startsWith("pid=");
        }
    }

    @Test
    void tryAcquireIsExclusiveAndSeparateFromTheRefreshLock() throws Exception {
        try (LockManager.Held signIn = locks.tryAcquire(URL, "signin")) {
            assertThat(signIn).isNotNull();
            // The refresh lock stays free while a sign-in waits for the browser.
            try (LockManager.Held refresh = locks.acquire(URL, Duration.ZERO)) {
                assertThat(refresh).isNotNull();
            }
            java.util.concurrent.atomic.AtomicReference<Object> seen = new java.util.concurrent.atomic.AtomicReference<>("unset");
            Thread other = new Thread(() -> seen.set(locks.tryAcquire(URL, "signin")));
            other.start();
            other.join();
            assertThat(seen.get()).as("a second holder").isNull();
        }
        try (LockManager.Held again = locks.tryAcquire(URL, "signin")) {
            assertThat(again).isNotNull();
        }
    }

    @Test
    void threadsOfOneProcessAreSerialised() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        AtomicInteger entered = new AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<?>> workers = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                workers.add(pool.submit(() -> {
                    for (int k = 0; k < 20; k++) {
                        try (LockManager.Held held = locks.acquire(URL, Duration.ofSeconds(30))) {
                            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            entered.incrementAndGet();
                            Thread.sleep(1); // long enough for the others to be waiting
                            inside.decrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            // get() rethrows what a worker threw: a waiter that gave up fails the test.
            for (java.util.concurrent.Future<?> w : workers) {
                w.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(entered.get()).as("every acquisition held the lock").isEqualTo(8 * 20);
        assertThat(maxInside.get()).isEqualTo(1);
        try (var s = Files.list(root.resolve("locks"))) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void theOwnerLineNamesThisProcessWithoutProcessHandle() {
        ProcessHandle self = ProcessHandle.current();
        String owner = LockManager.owner();
        assertThat(owner).startsWith("pid=" + self.pid() + " start=");
        java.util.Optional<java.time.Instant> start = self.info().startInstant();
        if (start.isPresent() && !owner.endsWith("?")) {
            java.time.Instant written = java.time.Instant.parse(owner.substring(owner.indexOf("start=") + 6));
            // /proc counts in 10 ms ticks; the JDK reads the same field.
            assertThat(java.time.Duration.between(written, start.get()).abs()).isLessThan(java.time.Duration.ofSeconds(2));
        }
    }

    @Test
    void aWaiterStopsWaitingOnceItNoLongerNeedsTheLock() throws Exception {
        Process p = Jvm.builder(List.of(), LockHolderMain.class, root.toString(), URL.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            assertThat(new String(p.getInputStream().readNBytes(7))).isEqualTo("locked\n");
            int[] asked = new int[1];
            assertThat(locks.acquireUnless(URL, Duration.ofMinutes(5), () -> ++asked[0] >= 3)).isNull();
            assertThat(asked[0]).isEqualTo(3);
            // Not satisfied: waits and times out as acquire does.
            assertThatThrownBy(() -> locks.acquireUnless(URL, Duration.ofMillis(100), () -> false))
                    .isInstanceOf(CoderSshException.class).hasMessageContaining("pid=" + p.pid());
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        // Free: taken at once, the supplier never asked.
        try (LockManager.Held held = locks.acquireUnless(URL, Duration.ZERO, () -> {
            throw new AssertionError("asked although the lock was free");
        })) {
            assertThat(held).isNotNull();
        }
    }
}
