import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Figures 2r and 3r (bench/run --real, or --only 2r,3r): figures 2 and 3 against the real Coder
 * server, CLI and agent, a deployment {@code dev/real-coder} starts as a subprocess (see
 * it-tests/real-coder/README.md; an uncached release is built first, ~10 minutes).
 *
 * <p>2r: {@code ssh coder.dev true} through {@code coder-ssh proxy} (which runs the CLI it downloaded
 * from the server) against the same CLI binary as the ProxyCommand itself ({@code coder ssh --stdio}
 * with CODER_URL and CODER_SESSION_TOKEN), interleaved. 3r: the proxy with {@code --coder-binary
 * /bin/true} after the stored access token's expiry was moved into the past (as the it-tests'
 * {@code CoderSsh.ageAccessToken} does), so every sample is one refresh at the real server, against
 * an empty Java main; the server's own request log confirms one token request per sample.
 */
final class RealCoder implements AutoCloseable {
    private final Process process;
    private final OutputStream stdin;
    final String url;
    final Path fixture;

    private RealCoder(Process process, String url, Path fixture) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.url = url;
        this.fixture = fixture;
    }

    /** Starts dev/real-coder; it runs until its stdin (held open here) closes. */
    static RealCoder start(Path root, Path work, String version) throws Exception {
        Path err = work.resolve("real-coder.err");
        Process p = new ProcessBuilder(root.resolve("dev/real-coder").toString(), "--version", version)
                .redirectError(err.toFile()).start();
        InputStream in = p.getInputStream();
        String url = line(in);
        String fixture = line(in);
        if (!url.startsWith("CODER_URL=") || !fixture.startsWith("CODER_FIXTURE=")) {
            p.destroy();
            throw new IllegalStateException("dev/real-coder did not start: " + Files.readString(err));
        }
        Thread drain = new Thread(() -> {
            try {
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // stopped
            }
        });
        drain.setDaemon(true);
        drain.start();
        return new RealCoder(p, url.substring("CODER_URL=".length()), Path.of(fixture.substring("CODER_FIXTURE=".length())));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            sb.append((char) c);
        }
        return sb.toString().trim();
    }

    /** POST /oauth2/tokens lines in coderd's request log (the fixture dir sits in the deployment's). */
    long tokenRequests() throws IOException {
        try (Stream<String> lines = Files.lines(fixture.getParent().resolve("server.log"))) {
            return lines.filter(l -> l.contains(": POST ") && l.contains(" path=/oauth2/tokens ")).count();
        }
    }

    String version() throws IOException {
        String owner = Files.readString(fixture.resolve("owner.json"), StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"version\"\\s*:\\s*\"([^\"]*)\"").matcher(owner);
        return m.find() ? m.group(1) : "?";
    }

    @Override
    public void close() throws Exception {
        stdin.close(); // dev/real-coder stops the agents, the server and PostgreSQL and deletes them
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    // ---------------------------------------------------------------------------------------------

    static void figures(Bench b, Path root, Path work, String version, boolean two, boolean three) throws Exception {
        long t0 = System.nanoTime();
        try (RealCoder coder = start(root, work, version)) {
            String v = coder.version();
            System.out.printf(Locale.ROOT, "real Coder %s at %s, started in %.0f s%n", v, coder.url, (System.nanoTime() - t0) / 1e9);
            Path home = work.resolve("home-real");
            Map<String, String> login = new HashMap<>(b.env(home));
            login.put("BROWSER", root.resolve("dev/real-coder-browser").toString());
            login.put("CODER_FIXTURE", coder.fixture.toString());
            login.put("REAL_CODER_BROWSER_LOG", work.resolve("real-coder-browser.log").toString());
            b.runChecked(List.of(b.launcher(), "login", coder.url, "--timeout", "120s"), login);
            Map<String, String> env = b.env(home);

            if (two) {
                Path proxied = b.sshConfig("real-proxied", "ProxyCommand " + b.launcher() + " proxy --url " + coder.url + " %h");
                List<String> ssh = List.of("ssh", "-F", proxied.toString(), "coder.dev", "true");
                long d0 = System.nanoTime();
                b.runChecked(ssh, env); // the first connection downloads the CLI the server serves
                System.out.printf(Locale.ROOT, "first connection (CLI download from the server included): %.1f s%n",
                        (System.nanoTime() - d0) / 1e9);
                Path cli = downloadedCli(home);
                Path cliConfig = Files.createDirectories(work.resolve("real-cli-config"));
                Path unshimmed = b.sshConfig("real-unshimmed", "ProxyCommand " + cli + " --global-config " + cliConfig
                        + " ssh --stdio --ssh-host-prefix coder. %h");
                Map<String, String> rawEnv = new HashMap<>(env);
                rawEnv.put("CODER_URL", coder.url);
                rawEnv.put("CODER_SESSION_TOKEN", b.currentToken(coder.url, home));
                List<Bench.Stats> s = b.interleaved(() -> b.runChecked(ssh, env),
                        () -> b.runChecked(List.of("ssh", "-F", unshimmed.toString(), "coder.dev", "true"), rawEnv));
                String name = "2r connect, real Coder: ssh through coder-ssh proxy vs the real CLI as ProxyCommand";
                b.figure(name, s.get(0), s.get(1), 1.15, true);
                b.detail(name).put("coder_version", v);
            }

            if (three) {
                List<String> empty = List.of(b.javaBinary(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                        "-cp", b.emptyMainJar().toString(), "Empty");
                List<String> fastPath = List.of(b.launcher(), "proxy", "--url", coder.url, "--coder-binary", "/bin/true", "coder.dev");
                long before = coder.tokenRequests();
                List<Bench.Stats> s = b.interleaved(() -> b.runChecked(empty, Map.of()), () -> {
                    ageAccessToken(home);
                    b.runChecked(fastPath, env);
                });
                long refreshes = coder.tokenRequests() - before;
                String name = "3r refresh at the real Coder: expired token (one refresh) vs empty Java main";
                b.figure(name, s.get(1), s.get(0), 3.0, true);
                Map<String, Object> m = b.detail(name);
                m.put("coder_version", v);
                m.put("token_requests_at_server", refreshes);
                m.put("samples_including_warmup", s.get(1).samples().size() + b.warmup);
                System.out.printf(Locale.ROOT, "%-72s %d token requests in coderd's log for %d refreshing runs%n", "",
                        refreshes, s.get(1).samples().size() + b.warmup);
            }
        }
    }

    /** The CLI the proxy downloaded into its state root on the first connection. */
    private static Path downloadedCli(Path home) throws IOException {
        try (Stream<Path> files = Files.walk(home.resolve("cli"))) {
            return files.filter(Files::isRegularFile).filter(Files::isExecutable).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no CLI under " + home.resolve("cli")));
        }
    }

    /** Moves the stored access token's expiry into the past (CoderSsh.ageAccessToken in it-tests). */
    private static void ageAccessToken(Path home) throws IOException {
        try (Stream<Path> files = Files.list(home.resolve("credentials"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                long now = System.currentTimeMillis();
                Files.writeString(f, Files.readString(f)
                        .replaceAll("\"expires_at_ms\"\\s*:\\s*\\d+", "\"expires_at_ms\":" + (now - 1_000L))
                        .replaceAll("\"issued_at_ms\"\\s*:\\s*\\d+", "\"issued_at_ms\":" + (now - 3_600_000L)));
            }
        }
    }
}
