package dev.coderssh.proxy.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The relay against real loopback sockets. */
class RelayTest {

    /** A server that reads everything until EOF, then answers with its SHA-256 and closes. */
    private static CompletableFuture<Void> digestServer(ServerSocket server) {
        return CompletableFuture.runAsync(() -> {
            try (Socket s = server.accept()) {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                InputStream in = s.getInputStream();
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    md.update(buf, 0, n);
                }
                // Still writable after our EOF: that is the half-close the relay must preserve.
                OutputStream out = s.getOutputStream();
                out.write(hex(md.digest()).getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }

    @Test
    void stdinEofHalfClosesAndTheServersLastBytesStillArrive() throws Exception {
        byte[] payload = new byte[8 * 1024 * 1024 + 13];
        new Random(7).nextBytes(payload);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> done = digestServer(server);
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            int rc = Relay.run(new java.io.ByteArrayInputStream(payload), stdout, socket);
            done.get();
            assertThat(rc).isZero();
            assertThat(stdout.toString(StandardCharsets.US_ASCII))
                    .isEqualTo(hex(MessageDigest.getInstance("SHA-256").digest(payload)));
            assertThat(socket.isClosed()).isTrue();
        }
    }

    @Test
    void theServerClosingEndsTheRelayEvenWhileStdinStaysOpen() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             PipedOutputStream sshWrites = new PipedOutputStream();
             PipedInputStream stdin = new PipedInputStream(sshWrites)) {
            CompletableFuture<Void> serverSide = CompletableFuture.runAsync(() -> {
                try (Socket s = server.accept()) {
                    s.getOutputStream().write("SSH-2.0-bye\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            int rc = Relay.run(stdin, stdout, socket);
            serverSide.get();
            assertThat(rc).isZero();
            assertThat(stdout.toString(StandardCharsets.US_ASCII)).isEqualTo("SSH-2.0-bye\r\n");
        }
    }
}
