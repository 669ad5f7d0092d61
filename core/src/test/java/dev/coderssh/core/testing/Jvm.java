package dev.coderssh.core.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts real JVMs on the test classpath, for cross-process tests. */
public final class Jvm {
    private Jvm() {
    }

    public static ProcessBuilder builder(List<String> jvmArgs, Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }
}
