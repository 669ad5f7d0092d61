package dev.coderssh.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.home.CoderSshHome;
import dev.coderssh.core.http.HttpOptions;
import dev.coderssh.core.http.HttpTransport;
import dev.coderssh.core.http.HttpTransports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI download over real HTTP against a MockWebServer that serves the binary as coderd does
 * (ETag, 304 for If-None-Match). The "binary" is a shell script that prints the version JSON, so
 * the version check runs for real.
 */
class CliInstallerTest {
    @TempDir
    Path dir;
    final FakeServer server = new FakeServer();
    final MockWebServer web = new MockWebServer();
    final HttpTransport http = HttpTransports.create(HttpOptions.defaults(), "test", Map.of());
    DeploymentUrl url;
    CliPaths paths;

    /** Serves a CLI script reporting {@code version}, with an ETag, honouring If-None-Match. */
    static class FakeServer extends Dispatcher {
        volatile String version = "v2.20.1+abc";
        volatile String etag = "\"e1\"";
        /** When set, every download answers this status instead. */
        volatile int failWith;
        final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            requests.add(request);
            if (!request.getUrl().encodedPath().equals(CliPaths.downloadPath())) {
                return new MockResponse.Builder().code(404).build();
            }
            if (failWith != 0) {
                return new MockResponse.Builder().code(failWith).body("{\"message\":\"down\"}").build();
            }
            if (etag.equals(request.getHeaders().get("If-None-Match"))) {
                return new MockResponse.Builder().code(304).build();
            }
            return binary(new MockResponse.Builder()).build();
        }

        MockResponse.Builder binary(MockResponse.Builder b) {
            return b.code(200).addHeader("ETag", etag).body(script());
        }

        String script() {
            return "#!/bin/sh\necho '{\"version\": \"" + version + "\", \"slim\": false}'\nexit 0\n";
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        web.setDispatcher(server);
        web.start();
        url = DeploymentUrl.parse("http://127.0.0.1:" + web.getPort());
        paths = CliPaths.of(new CoderSshHome(dir), url);
    }

    @AfterEach
    void tearDown() {
        web.close();
    }

    @Test
    void downloadsChecksTheVersionAndInstallsExecutable() throws Exception {
        Path got = new CliInstaller(http).install(url, paths, "v2.20.1+abc");
        assertThat(got).isEqualTo(paths.binary()).isExecutable();
        assertThat(CliVersion.of(got)).isEqualTo("v2.20.1+abc");
        assertThat(Files.readString(paths.etag())).isEqualTo("\"e1\"");
        try (var files = Files.list(paths.dir())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("coder", "coder.etag");
        }
    }

    @Test
    void anUnchangedBinaryIsNotDownloadedAgain() throws Exception {
        new CliInstaller(http).install(url, paths, "v2.20.1");
        java.nio.file.attribute.FileTime installed = Files.getLastModifiedTime(paths.binary());
        new CliInstaller(http).install(url, paths, "v2.20.1");
        assertThat(server.requests).hasSize(2);
        assertThat(server.requests.get(0).getHeaders().get("If-None-Match")).isNull();
        assertThat(server.requests.get(1).getHeaders().get("If-None-Match")).isEqualTo("\"e1\"");
        assertThat(Files.getLastModifiedTime(paths.binary())).isEqualTo(installed);
    }

    @Test
    void aFailedDownloadIsOneLineAndKeepsTheCachedBinary() throws Exception {
        new CliInstaller(http).install(url, paths, "v2.20.1");
        String before = Files.readString(paths.binary());
        Files.delete(paths.etag()); // no 304 to fall back on: a full download is asked for
        for (int status : new int[] {404, 500, 403}) {
            server.failWith = status;
            assertThatThrownBy(() -> new CliInstaller(http).install(url, paths, "v2.20.1"))
                    .isInstanceOf(CoderSshException.class)
                    .hasMessage("cannot download the Coder CLI from " + url + CliPaths.downloadPath() + ": HTTP " + status);
        }
        assertThat(Files.readString(paths.binary())).isEqualTo(before);
        try (var files = Files.list(paths.dir())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("coder");
        }
    }

    @Test
    void aCachedBinaryWhoseVersionNoLongerMatchesIsReplaced() throws Exception {
        new CliInstaller(http).install(url, paths, "v2.20.1");
        server.version = "v2.21.0";
        // The server was upgraded but (wrongly) still answers 304 for the old ETag.
        new CliInstaller(http).install(url, paths, "v2.21.0");
        assertThat(CliVersion.of(paths.binary())).isEqualTo("v2.21.0");
        assertThat(server.requests).hasSize(3);
        assertThat(server.requests.get(1).getHeaders().get("If-None-Match")).isEqualTo("\"e1\"");
        assertThat(server.requests.get(2).getHeaders().get("If-None-Match")).isNull();
    }

    @Test
    void aDownloadReportingTheWrongVersionIsNotInstalled() {
        server.version = "v1.0.0";
        assertThatThrownBy(() -> new CliInstaller(http).install(url, paths, "v2.20.1"))
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
        // 1.5 MiB after the script's exit, sent 512 KiB every 600 ms: the watcher, every 250 ms, sees the file grow.
        web.setDispatcher(new FakeServer() {
            @Override
            MockResponse.Builder binary(MockResponse.Builder b) {
                okio.Buffer body = new okio.Buffer().writeUtf8(script()).write(new byte[3 * 512 * 1024]);
                return b.code(200).addHeader("ETag", etag).body(body)
                        .throttleBody(512 * 1024, 600, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        });
        var shown = new java.io.ByteArrayOutputStream();
        new CliInstaller(http, new java.io.PrintStream(shown, true)).install(url, paths, "v2.20.1+abc");
        String text = shown.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text).startsWith("\rcoder-ssh: downloading the Coder CLI: ").contains(" MB received")
                .contains("1.5 MB received").endsWith("\n");
        assertThat(text.split("\r").length).as(text).isGreaterThan(3);
        assertThat(CliVersion.of(paths.binary())).isEqualTo("v2.20.1+abc");
    }

    @Test
    void withoutATerminalNothingIsShown() throws Exception {
        var shown = new java.io.ByteArrayOutputStream();
        new CliInstaller(http, null).install(url, paths, "v2.20.1+abc");
        assertThat(shown.size()).isZero();
    }

    @Test
    void sizesAndTimesReadAtAGlance() {
        // A small CLI (the sandbox's is a few KiB) installed in a fraction of a second: not "(0 MB) in 0 s".
        assertThat(CliInstaller.size(312)).isEqualTo("312 bytes");
        assertThat(CliInstaller.size(20_480)).isEqualTo("20 KiB");
        assertThat(CliInstaller.size(1024 * 1024 - 1)).isEqualTo("1023 KiB");
        assertThat(CliInstaller.size(43_700_000)).isEqualTo("41.7 MB");
        assertThat(CliInstaller.took(180_000_000L)).isEqualTo("180 ms");
        assertThat(CliInstaller.took(2_449_000_000L)).isEqualTo("2.4 s");
        assertThat(CliInstaller.took(31_900_000_000L)).isEqualTo("31 s");
    }
}
