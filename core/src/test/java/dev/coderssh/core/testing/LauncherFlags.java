package dev.coderssh.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The JVM flags bin/coder-ssh starts the proxy with, read from the launcher itself: tests that
 * measure what the proxy's JVM loads run it as the launcher does, with no copy to drift.
 */
public final class LauncherFlags {
    private LauncherFlags() {
    }

    /** bin/coder-ssh, found above the working directory (a module's, under Maven). */
    public static Path launcher() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("bin/coder-ssh"))) {
                return d.resolve("bin/coder-ssh");
            }
        }
        throw new IllegalStateException("no bin/coder-ssh above " + Path.of("").toAbsolutePath());
    }

    /** The flags of every JVM the launcher starts ({@code jvm_flags}). */
    public static List<String> common() {
        return named("jvm_flags");
    }

    /** The flags of the proxy's JVM: {@link #common()} and {@code proxy_flags}, without a class-data archive. */
    public static List<String> proxy() {
        List<String> all = new ArrayList<>(common());
        all.addAll(named("proxy_flags"));
        return all;
    }

    /**
     * The classes a JVM started with the proxy's flags loads running {@code mainAndArgs} on
     * {@code classpath}, in load order: fd 3 (the plan) goes to {@code dir/<name>.plan}, output to
     * {@code dir/<name>.out}; the environment is this one without CODER_* plus {@code env}.
     */
    public static List<String> loadedClasses(Path dir, String name, String classpath, Map<String, String> env,
                                             String... mainAndArgs) throws IOException, InterruptedException {
        Path log = dir.resolve(name + ".classes");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(proxy());
        cmd.addAll(List.of("-Xlog:class+load=info:file=" + log, "-cp", classpath));
        cmd.addAll(List.of(mainAndArgs));
        StringBuilder sh = new StringBuilder("exec");
        for (String c : cmd) {
            sh.append(" '").append(c.replace("'", "'\\''")).append('\'');
        }
        sh.append(" 3>'").append(dir.resolve(name + ".plan")).append("' </dev/null");
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", sh.toString());
        pb.environment().keySet().removeIf(k -> k.startsWith("CODER_"));
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(dir.resolve(name + ".out").toFile());
        int rc = pb.start().waitFor();
        if (rc != 0) {
            throw new IllegalStateException(name + " exited " + rc + ": " + Files.readString(dir.resolve(name + ".out")));
        }
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            int at = line.indexOf("] ");
            int sp = line.indexOf(' ', at + 2);
            if (at > 0 && sp > at) {
                names.add(line.substring(at + 2, sp));
            }
        }
        return names;
    }

    private static List<String> named(String name) {
        try {
            for (String line : Files.readAllLines(launcher())) {
                String t = line.strip();
                if (t.startsWith(name + "='") && t.endsWith("'")) {
                    return Arrays.asList(t.substring(name.length() + 2, t.length() - 1).split(" "));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("bin/coder-ssh sets no " + name);
    }
}
