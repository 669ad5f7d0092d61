package dev.coderssh.core.store.keyring;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one keyring tool ({@code secret-tool}, {@code security}) with a hard deadline. Secrets go
 * in on stdin only, never in argv. On timeout the tool and everything it started are killed, so a
 * keyring waiting for an unlock prompt cannot hang an ssh connection.
 */
final class KeyringProcess {
    /** The exit status and output of a finished tool; stdout may hold a secret, so no toString. */
    static final class Result {
        final int exit;
        final byte[] stdout;
        final String stderr;

        Result(int exit, byte[] stdout, String stderr) {
            this.exit = exit;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        /** The first line the tool wrote on stderr (it never sees a secret there), or "". */
        String firstErrorLine() {
            String s = stderr.strip();
            int nl = s.indexOf('\n');
            return (nl < 0 ? s : s.substring(0, nl)).strip();
        }

        @Override
        public String toString() {
            return "Result[exit=" + exit + ", stdout=<" + stdout.length + " bytes>]";
        }
    }

    private final Map<String, String> env;
    private final Duration timeout;

    KeyringProcess(Map<String, String> env, Duration timeout) {
        this.env = Map.copyOf(env);
        this.timeout = timeout;
    }

    Duration timeout() {
        return timeout;
    }

    /**
     * Finds {@code tool} on the PATH of our environment (the JDK would search its own PATH, not the
     * child's), or null.
     */
    Path find(String tool) {
        if (tool.contains("/")) {
            Path p = Path.of(tool);
            return Files.isExecutable(p) ? p : null;
        }
        String path = env.get("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, tool);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Runs {@code command} (first element an absolute path), feeding {@code stdin} and closing it.
     *
     * @param what names the keyring in messages, e.g. "the Secret Service"
     */
    Result run(List<String> command, byte[] stdin, String what) throws KeyringException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new KeyringException("cannot start " + Path.of(command.get(0)).getFileName() + " for " + what
                    + " (" + dev.coderssh.core.store.SecureFiles.describe(e) + ")", false);
        }
        Drain out = new Drain(p.getInputStream());
        Drain err = new Drain(p.getErrorStream());
        out.start();
        err.start();
        boolean finished;
        try {
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin);
            } catch (IOException e) {
                // The tool exited without reading (broken pipe): its exit status tells why.
            }
            finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        if (!finished) {
            kill(p);
            throw new KeyringException(what + " did not answer within " + seconds(timeout) + " (" 
                    + Path.of(command.get(0)).getFileName() + " was stopped)", true);
        }
        out.await();
        err.await();
        return new Result(p.exitValue(), out.bytes(), new String(err.bytes(), StandardCharsets.UTF_8));
    }

    /** Kills the tool and whatever it started (a wrapper script's children keep our pipes open). */
    private static void kill(Process p) {
        List<ProcessHandle> tree = new ArrayList<>();
        p.toHandle().descendants().forEach(tree::add);
        p.destroyForcibly();
        for (ProcessHandle h : tree) {
            h.destroyForcibly();
        }
        try {
            p.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** Reads one stream to the end on its own thread, so a chatty tool never blocks on a full pipe. */
    private static final class Drain extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        Drain(InputStream in) {
            super("keyring-drain");
            setDaemon(true);
            this.in = in;
        }

        @Override
        public void run() {
            byte[] b = new byte[4096];
            try {
                int n;
                while ((n = in.read(b)) > 0 && buf.size() < 1 << 20) {
                    synchronized (buf) {
                        buf.write(b, 0, n);
                    }
                }
            } catch (IOException e) {
                // Stream closed under us after a kill: what we have is all there is.
            }
        }

        void await() {
            try {
                join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        byte[] bytes() {
            synchronized (buf) {
                return buf.toByteArray();
            }
        }
    }
}
