package dev.coderssh.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.home.CoderSshHome;
import dev.coderssh.core.http.HttpRequest;
import dev.coderssh.core.http.HttpResponse;
import dev.coderssh.core.http.HttpTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI download against a scripted transport (our own interface; MockWebServer replaces it once
 * core's HttpTransport implementation is merged). The "binary" is a shell script that prints the
 * version JSON, so the version check runs for real.
 */
class CliInstallerTest {
    static final DeploymentUrl URL = DeploymentUrl.parse("https://coder.example.com");
    @TempDir
    Path dir;

    /** Serves a CLI script reporting {@code version}, with an ETag, honouring If-None-Match. */
    class FakeServer implements HttpTransport {
        String version = "v2.20.1+abc";
        String etag = "\"e1\"";
        final List<HttpRequest> requests = new ArrayList<>();

        @Override
        public HttpResponse send(HttpRequest request) {
            throw new AssertionError("not used");
        }

        @Override
        public HttpResponse download(HttpRequest request, Path target) throws IOException {
            requests.add(request);
            assertThat(request.url()).isEqualTo(URL + CliPaths.downloadPath());
            if (etag.equals(request.headers().get("If-None-Match"))) {
                return new HttpResponse(304, Map.of(), null);
            }
            Files.writeString(target, "#!/bin/sh\necho '{\"version\": \"" + version + "\", \"slim\": false}'\n");
            return new HttpResponse(200, Map.of("etag", List.of(etag)), null);
        }
    }

    @Test
    void downloadsChecksTheVersionAndInstallsExecutable() throws Exception {
        FakeServer server = new FakeServer();
        CliPaths paths = CliPaths.of(new CoderSshHome(dir), URL);
        Path got = new CliInstaller(server).install(URL, paths, "v2.20.1+abc");
        assertThat(got).isEqualTo(paths.binary()).isExecutable();
        assertThat(CliVersion.of(got)).isEqualTo("v2.20.1+abc");
        assertThat(Files.readString(paths.etag())).isEqualTo("\"e1\"");
        try (var files = Files.list(paths.dir())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("coder", "coder.etag");
        }
    }

    @Test
    void anUnchangedBinaryIsNotDownloadedAgain() throws Exception {
        FakeServer server = new FakeServer();
        CliPaths paths = CliPaths.of(new CoderSshHome(dir), URL);
        new CliInstaller(server).install(URL, paths, "v2.20.1");
        new CliInstaller(server).install(URL, paths, "v2.20.1");
        assertThat(server.requests).hasSize(2);
        assertThat(server.requests.get(1).headers()).containsEntry("If-None-Match", "\"e1\"");
    }

    @Test
    void aCachedBinaryWhoseVersionNoLongerMatchesIsReplaced() throws Exception {
        FakeServer server = new FakeServer();
        CliPaths paths = CliPaths.of(new CoderSshHome(dir), URL);
        new CliInstaller(server).install(URL, paths, "v2.20.1");
        server.version = "v2.21.0";
        // The server was upgraded but (wrongly) still answers 304 for the old ETag.
        new CliInstaller(server).install(URL, paths, "v2.21.0");
        assertThat(CliVersion.of(paths.binary())).isEqualTo("v2.21.0");
        assertThat(server.requests).hasSize(3);
        assertThat(server.requests.get(2).headers()).doesNotContainKey("If-None-Match");
    }

    @Test
    void aDownloadReportingTheWrongVersionIsNotInstalled() {
        FakeServer server = new FakeServer();
        server.version = "v1.0.0";
        CliPaths paths = CliPaths.of(new CoderSshHome(dir), URL);
        assertThatThrownBy(() -> new CliInstaller(server).install(URL, paths, "v2.20.1"))
                .isInstanceOf(CoderSshException.class).hasMessageContaining("v1.0.0").hasMessageContaining("v2.20.1");
        assertThat(paths.binary()).doesNotExist();
    }

    @Test
    void versionsCompareWithoutVPrefixOrBuildMetadata() {
        assertThat(CliVersion.matches("v2.20.1+abc", "2.20.1")).isTrue();
        assertThat(CliVersion.matches("v2.20.1", "v2.20.2")).isFalse();
        assertThat(CliVersion.matches(null, "v2.20.2")).isFalse();
        assertThat(CliVersion.jsonVersion("{\"version\" : \"v1\"}")).isEqualTo("v1");
        assertThat(CliVersion.jsonVersion("{\"version\": 3}")).isNull();
        assertThat(CliVersion.jsonVersion("garbage")).isNull();
    }

    @Test
    void aSlowDownloadShowsItsProgressOnATerminalAndEndsTheLine() throws Exception {
        FakeServer slow = new FakeServer() {
            @Override
            public HttpResponse download(HttpRequest request, Path target) throws IOException {
                // Three chunks a second apart: the watcher, every 250 ms, sees the file grow.
                byte[] chunk = new byte[512 * 1024];
                try (var out = Files.newOutputStream(target)) {
                    out.write(("#!/bin/sh\necho '{\"version\": \"" + version + "\", \"slim\": false}'\nexit 0\n")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    for (int i = 0; i < 3; i++) {
                        out.write(chunk);
                        out.flush();
                        sleep(600);
                    }
                }
                return new HttpResponse(200, Map.of("etag", List.of(etag)), null);
            }
        };
        var shown = new java.io.ByteArrayOutputStream();
        CliPaths paths = CliPaths.of(new CoderSshHome(dir), URL);
        new CliInstaller(slow, new java.io.PrintStream(shown, true)).install(URL, paths, "v2.20.1+abc");
        String text = shown.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text).startsWith("\rcoder-ssh: downloading the Coder CLI: ").contains(" MB received")
                .contains("1.5 MB received").endsWith("\n");
        assertThat(text.split("\r").length).as(text).isGreaterThan(3);
        assertThat(CliVersion.of(paths.binary())).isEqualTo("v2.20.1+abc");
    }

    @Test
    void withoutATerminalNothingIsShown() throws Exception {
        var shown = new java.io.ByteArrayOutputStream();
        new CliInstaller(new FakeServer(), null).install(URL, CliPaths.of(new CoderSshHome(dir), URL), "v2.20.1+abc");
        assertThat(shown.size()).isZero();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
