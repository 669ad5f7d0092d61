package dev.coderssh.proxy.cli;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.http.HttpRequest;
import dev.coderssh.core.http.HttpResponse;
import dev.coderssh.core.http.HttpTransport;
import dev.coderssh.core.store.SecureFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Downloads the CLI the deployment serves at {@code /bin/coder-<os>-<arch>}, as the IDE plugins do:
 * If-None-Match with the stored ETag, a temp file in the same directory renamed atomically over the
 * old binary (a running {@code coder ssh} keeps its inode), the executable bit, and the version
 * checked against the server's before it is installed. Runs only when the cached binary is missing
 * and from {@code doctor}: never per connection.
 */
public final class CliInstaller {
    private final HttpTransport transport;
    private final PrintStream progressTty;

    public CliInstaller(HttpTransport transport) {
        this(transport, null);
    }

    /** @param progressTty where to show the download's progress when stderr is a terminal, else null */
    public CliInstaller(HttpTransport transport, PrintStream progressTty) {
        this.transport = transport;
        this.progressTty = progressTty;
    }

    /** A size a person reads at a glance: "312 bytes", "23 KiB", "41.7 MB" (as the progress line counts). */
    public static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        if (bytes < 1024 * 1024) {
            return bytes / 1024 + " KiB";
        }
        return DownloadProgress.megabytes(bytes);
    }

    /** How long something took: "180 ms" under a second, "2.4 s" under ten, else whole seconds. */
    public static String took(long nanos) {
        long millis = nanos / 1_000_000L;
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 10_000) {
            return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        return millis / 1000 + " s";
    }

    /** Ensures {@code paths.binary()} exists and reports {@code serverVersion}; returns its path. */
    public Path install(DeploymentUrl deployment, CliPaths paths, String serverVersion) throws IOException {
        // Owner-only, checked: the binary placed here is executed with a token in its environment.
        SecureFiles.ensurePrivateDir(paths.dir().getParent(), System.err);
        SecureFiles.ensurePrivateDir(paths.dir(), System.err);
        boolean have = Files.isExecutable(paths.binary());
        String etag = have && Files.isRegularFile(paths.etag())
                ? Files.readString(paths.etag(), StandardCharsets.UTF_8).strip() : null;
        if (have && etag != null && !etag.isEmpty() && fetch(deployment, paths, etag, serverVersion)) {
            return paths.binary();
        }
        fetch(deployment, paths, null, serverVersion);
        return paths.binary();
    }

    /** Returns false when the server said 304 but the cached binary's version does not match. */
    private boolean fetch(DeploymentUrl deployment, CliPaths paths, String etag, String serverVersion)
            throws IOException {
        String url = deployment.resolve(CliPaths.downloadPath());
        HttpRequest request = HttpRequest.get(url);
        if (etag != null) {
            request = request.withHeader("If-None-Match", etag);
        }
        Path tmp = Files.createTempFile(paths.dir(), ".coder-", ".tmp");
        try {
            HttpResponse response;
            try (DownloadProgress shown = DownloadProgress.watch(tmp, progressTty)) {
                response = transport.download(request, tmp);
            }
            if (response.status() == 304) {
                return CliVersion.matches(CliVersion.of(paths.binary()), serverVersion);
            }
            if (response.status() != 200) {
                throw CoderSshException.failure("cannot download the Coder CLI from " + url + ": HTTP "
                        + response.status());
            }
            if (!tmp.toFile().setExecutable(true, true)) {
                throw CoderSshException.failure("cannot make the downloaded CLI executable in " + paths.dir());
            }
            String got = CliVersion.of(tmp);
            if (!CliVersion.matches(got, serverVersion)) {
                throw CoderSshException.failure("the CLI served by " + deployment + " reports version "
                        + (got == null ? "(none: it does not run here)" : got) + ", the server is " + serverVersion);
            }
            move(tmp, paths.binary());
            String newTag = response.header("etag");
            if (newTag != null) {
                Path tagTmp = Files.createTempFile(paths.dir(), ".etag-", ".tmp");
                Files.writeString(tagTmp, newTag, StandardCharsets.UTF_8);
                move(tagTmp, paths.etag());
            } else {
                Files.deleteIfExists(paths.etag());
            }
            return true;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
