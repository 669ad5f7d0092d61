package dev.coderssh.sandbox.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The stand-in CLI's own jar: only the classes of {@code dev.coderssh.sandbox.cli}, copied from
 * wherever the sandbox runs from (its shaded jar or {@code target/classes}).
 *
 * <p>Why a jar of its own: the CLI's JVM then opens a 20 KB jar instead of the 8 MB shaded one
 * (MINA, Jackson, OkHttp), and class-data sharing archives only classes loaded from jars. The
 * name carries a hash of the classes, so a rebuilt CLI gets a new jar, and with it a new archive;
 * an existing jar with the same classes is kept as it is, because the JVM refuses an archive
 * whose jar's modification time changed.
 */
final class CliJar {
  static final String PACKAGE_DIR = "dev/coderssh/sandbox/cli/";

  private CliJar() {
  }

  /** The jar in {@code dir} for the CLI classes found in {@code codeSource}, written if missing. */
  static Path write(Path codeSource, Path dir) throws IOException {
    Map<String, byte[]> classes = Files.isDirectory(codeSource) ? fromDirectory(codeSource) : fromJar(codeSource);
    if (!classes.containsKey(PACKAGE_DIR + "CoderCli.class")) {
      throw new IOException("no stand-in CLI classes in " + codeSource);
    }
    Path jar = dir.resolve("coder-cli-" + hash(classes) + ".jar");
    if (Files.isRegularFile(jar) && sameClasses(jar, classes)) {
      return jar;
    }
    Files.createDirectories(dir);
    Files.deleteIfExists(jar);
    Path tmp = Files.createTempFile(dir, "coder-cli-", ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(out)) {
        for (Map.Entry<String, byte[]> c : classes.entrySet()) {
          zip.putNextEntry(new ZipEntry(c.getKey()));
          zip.write(c.getValue());
          zip.closeEntry();
        }
      }
      // Classes anyone may read, like the jar they come from (createTempFile made it 0600).
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      // A link, not a rename: it never replaces a jar another sandbox put there a moment ago
      // (same classes, but another modification time, which would void an archive made for it).
      Files.createLink(jar, tmp);
    } catch (FileAlreadyExistsException raced) {
      // another sandbox wrote the same classes under the same name first: keep its file
    } finally {
      Files.deleteIfExists(tmp);
    }
    return jar;
  }

  private static Map<String, byte[]> fromDirectory(Path classesDir) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    Path pkg = classesDir.resolve(PACKAGE_DIR);
    try (Stream<Path> files = Files.list(pkg)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (name.endsWith(".class") && Files.isRegularFile(f)) {
          out.put(PACKAGE_DIR + name, Files.readAllBytes(f));
        }
      }
    }
    return out;
  }

  private static Map<String, byte[]> fromJar(Path jar) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        String name = e.getName();
        // Only the package itself: no subpackages (there are none) and no directories.
        if (name.startsWith(PACKAGE_DIR) && name.endsWith(".class") && name.indexOf('/', PACKAGE_DIR.length()) < 0) {
          try (InputStream in = zip.getInputStream(e)) {
            out.put(name, in.readAllBytes());
          }
        }
      }
    }
    return out;
  }

  private static boolean sameClasses(Path jar, Map<String, byte[]> classes) {
    try {
      Map<String, byte[]> there = fromJar(jar);
      if (!there.keySet().equals(classes.keySet())) {
        return false;
      }
      for (Map.Entry<String, byte[]> c : classes.entrySet()) {
        if (!Arrays.equals(c.getValue(), there.get(c.getKey()))) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String hash(Map<String, byte[]> classes) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, byte[]> c : classes.entrySet()) {
        sha.update(c.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(java.nio.ByteBuffer.allocate(4).putInt(c.getValue().length).array());
        sha.update(c.getValue());
      }
      return HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
