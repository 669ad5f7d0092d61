import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Figure 8: the first connection after installing the release archive, against a warm one.
 *
 * <p>The archive the build made is installed with its own install.sh into the bench's work dir; every
 * "first" sample gets a fresh state root holding only the sign-in (credentials and client copied from
 * the bench's signed-in home), so nothing is cached: no plan, no class-data archive of its own (the
 * archive's is what the launcher maps), and in 8a not even the Coder CLI, which the connection
 * downloads from the deployment; 8b copies in the CLI the warm root downloaded, as a user who ran any command
 * before would have it. The warm baseline is the same ssh command on a state root that has seen
 * warm-up connections (the plan cache serves it). The fresh roots are made before the timed runs.
 */
final class FirstConnection {
    private final Path root;
    private final Path work;

    FirstConnection(Path root, Path work) {
        this.root = root;
        this.work = work;
    }

    /** The installed stable launcher, and the archive's size in bytes. */
    record Installed(Path launcher, long archiveBytes, String archive) {
    }

    Installed install(Bench.Runner runner) throws Exception {
        Path target = root.resolve("dist/target");
        Path archive;
        try (Stream<Path> s = Files.list(target)) {
            archive = s.filter(p -> p.getFileName().toString().matches("coder-ssh-.*-linux-x64\\.tar\\.gz")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no release archive in dist/target (mvn package)"));
        }
        Path unpack = Files.createDirectories(work.resolve("release"));
        runner.run(List.of("tar", "xzf", archive.toString(), "-C", unpack.toString()), Map.of());
        Path release;
        try (Stream<Path> s = Files.list(unpack)) {
            release = s.findFirst().orElseThrow();
        }
        Path prefix = work.resolve("prefix");
        runner.run(List.of("sh", release.resolve("install.sh").toString(), "--prefix", prefix.toString()), Map.of());
        return new Installed(prefix.resolve("bin/coder-ssh"), Files.size(archive), archive.getFileName().toString());
    }

    /** A state root with the sign-in of {@code signedIn} and, unless null, the CLIs {@code cliFrom} downloaded. */
    Path freshHome(Path signedIn, Path cliFrom, int n) throws IOException {
        Path home = work.resolve("first-" + (cliFrom != null ? "cli-" : "nocli-") + n);
        copyTree(signedIn.resolve("credentials"), home.resolve("credentials"));
        copyTree(signedIn.resolve("clients"), home.resolve("clients"));
        if (cliFrom != null) {
            copyTree(cliFrom.resolve("cli"), home.resolve("cli"));
        }
        return home;
    }

    static Map<String, Object> record(String name, Bench.Stats subject, Bench.Stats warm) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("subject_ms", subject.json(1e6));
        m.put("warm_ms", warm.json(1e6));
        m.put("ratio", subject.median() / warm.median());
        System.out.printf(Locale.ROOT, "%-72s %7.1f ms [%6.1f..%6.1f]  warm %7.1f ms  ratio %.2f%n", name,
                subject.median() / 1e6, subject.min() / 1e6, subject.max() / 1e6, warm.median() / 1e6,
                subject.median() / warm.median());
        return m;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(from)) {
            s.forEach(all::add);
        }
        for (Path p : all) {
            Path dest = to.resolve(from.relativize(p).toString());
            if (Files.isDirectory(p)) {
                Files.createDirectories(dest);
            } else {
                Files.copy(p, dest, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }
}
