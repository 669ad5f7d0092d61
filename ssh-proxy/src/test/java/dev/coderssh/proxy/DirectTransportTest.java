package dev.coderssh.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.cli.Console;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --direct HOST:PORT}: API resolution, then a relay over a real loopback socket. */
class DirectTransportTest {
    @TempDir
    Path dir;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int proxy(FakeCore core, String stdin, String... args) throws Exception {
        Console console = new Console(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true), new PrintStream(err, true),
                Map.of("CODER_SSH_HOME", dir.toString()), Clock.systemUTC());
        return new ProxyCommand(core).run(List.of(args), console);
    }

    @Test
    void relaysStdinAndStdoutToTheGivenAddressAfterResolvingTheAgent() throws Exception {
        FakeCore core = new FakeCore("Abcdefghij-0123456789abcdefghijkl");
        core.api = new RunningWorkspaceApi();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> got = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept()) {
                    String line = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    s.getOutputStream().write(("SSH-2.0-agent got " + line).getBytes(StandardCharsets.UTF_8));
                    return line;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            int rc = proxy(core, "SSH-2.0-client", "--url", "https://coder.example.com", "--direct",
                    "127.0.0.1:" + server.getLocalPort(), "coder.dev");
            assertThat(rc).isZero();
            assertThat(got.get()).isEqualTo("SSH-2.0-client");
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("SSH-2.0-agent got SSH-2.0-client");
        }
    }

    @Test
    void aTunnelThatCannotConnectWritesZeroBytesToStdout() throws Exception {
        FakeCore core = new FakeCore("Abcdefghij-0123456789abcdefghijkl");
        core.api = new RunningWorkspaceApi();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        assertThatThrownBy(() -> proxy(core, "SSH-2.0-client", "--url", "https://coder.example.com", "--direct",
                "127.0.0.1:" + closedPort, "coder.dev"))
                .isInstanceOf(CoderSshException.class).hasMessageContaining("cannot reach 127.0.0.1:" + closedPort);
        assertThat(out.size()).isZero();
    }

    @Test
    void notSignedInIsExit3BeforeAnyRequest() {
        FakeCore core = new FakeCore(null);
        assertThatThrownBy(() -> proxy(core, "", "--url", "https://coder.example.com", "--direct", "127.0.0.1:22",
                "coder.dev")).isInstanceOfSatisfying(CoderSshException.class,
                        e -> assertThat(e.exitCode().code()).isEqualTo(3));
        assertThat(out.size()).isZero();
    }
}
