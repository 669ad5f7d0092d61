package dev.coderssh.proxy.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A jar whose {@code dev.coderssh.app.Main} writes a canned plan (file named by FAKE_PLAN) to the
 * launcher's plan descriptor, prints noise on its stdout, records that it ran (a line per run in the
 * file named by FAKE_RAN: the plan cache file the launcher offered it), optionally sleeps
 * (FAKE_SLEEP_MS) and leaves a plan cache entry (a copy of FAKE_ENTRY) as the real JVM would, and
 * exits with FAKE_STATUS: the launcher can then be tested on its own, including what it does with a
 * malformed plan.
 */
final class FakeJar {
    private static final String SOURCE = String.join("\n",
            "package dev.coderssh.app;",
            "import java.io.*; import java.nio.file.*;",
            "public class Main { public static void main(String[] a) throws Exception {",
            "  System.out.println(\"JVM NOISE ON ITS STDOUT\");",
            "  String p = System.getenv(\"FAKE_PLAN\");",
            "  if (p != null && System.getenv(\"CODER_SSH_PLAN_FD\") != null) try (OutputStream o = new FileOutputStream(\"/dev/fd/\" + System.getenv(\"CODER_SSH_PLAN_FD\"))) {",
            "    o.write(Files.readAllBytes(Path.of(p))); }",
            "  String ran = System.getenv(\"FAKE_RAN\");",
            "  String offered = String.valueOf(System.getenv(\"CODER_SSH_PLAN_CACHE_FILE\"));",
            "  if (ran != null) Files.writeString(Path.of(ran), offered + \"\\n\", StandardOpenOption.CREATE, StandardOpenOption.APPEND);",
            "  String nap = System.getenv(\"FAKE_SLEEP_MS\");",
            "  if (nap != null) Thread.sleep(Long.parseLong(nap));",
            "  String entry = System.getenv(\"FAKE_ENTRY\");",
            "  if (entry != null) { Files.createDirectories(Path.of(offered).getParent());",
            "    Path t = Path.of(offered + \".tmp\" + System.nanoTime()); Files.copy(Path.of(entry), t);",
            "    Files.move(t, Path.of(offered), StandardCopyOption.ATOMIC_MOVE); }",
            "  String s = System.getenv(\"FAKE_STATUS\");",
            "  System.exit(s == null ? 0 : Integer.parseInt(s));",
            "}}");

    private FakeJar() {
    }

    static Path build(Path dir) throws IOException {
        Path src = dir.resolve("src/dev/coderssh/app/Main.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, SOURCE);
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(), src.toString());
        if (rc != 0) {
            throw new IOException("javac failed: " + rc);
        }
        Path jar = dir.resolve("fake.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("dev/coderssh/app/Main.class"));
            out.write(Files.readAllBytes(classes.resolve("dev/coderssh/app/Main.class")));
            out.closeEntry();
        }
        return jar;
    }

    static void write(OutputStream out, List<String> lines) throws IOException {
        out.write((String.join("\n", lines) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
