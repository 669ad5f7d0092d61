package dev.coderssh.proxy.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay against real loopback sockets, with file channels and pipes as ssh's ends. The
 * timeout only guards against a hang (a relay that holds bytes back never finishes); nothing here
 * asserts on time.
 */
@Timeout(120)
class RelayTest {
    @TempDir
    Path dir;

    private interface Session {
        void run(Socket s) throws Exception;
    }

    /** The server's side of one connection, in the background; the socket is closed after it. */
    private static CompletableFuture<Void> serve(ServerSocket server, Session session) {
        return CompletableFuture.runAsync(() -> {
            try (Socket s = server.accept()) {
                session.run(s);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Reads everything until EOF, then answers with its SHA-256. */
    private static void digest(Socket s) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        InputStream in = s.getInputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) >= 0) {
            md.update(buf, 0, n);
        }
        // Still writable after our EOF: that is the half-close the relay must preserve.
        OutputStream out = s.getOutputStream();
        out.write(HexFormat.of().formatHex(md.digest()).getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static SocketChannel connect(ServerSocket server) throws Exception {
        return SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
    }

    private static CompletableFuture<Integer> inBackground(Pipe stdin, Pipe stdout, SocketChannel socket) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return Relay.run(stdin.source(), stdout.sink(), socket);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static String read(Pipe.SourceChannel from, int n) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(n);
        while (buf.hasRemaining() && from.read(buf) >= 0) {
            // a blocking read: returns once some bytes have arrived
        }
        return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
    }

    /** File channels on both ends, as in production (where they are the process's descriptors). */
    @Test
    void stdinEofHalfClosesAndTheServersLastBytesStillArrive() throws Exception {
        byte[] payload = new byte[8 * 1024 * 1024 + 13];
        new Random(7).nextBytes(payload);
        Path in = Files.write(dir.resolve("stdin"), payload);
        Path out = dir.resolve("stdout");
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             FileChannel stdin = FileChannel.open(in)) {
            CompletableFuture<Void> done = serve(server, RelayTest::digest);
            SocketChannel socket = connect(server);
            int rc = Relay.run(stdin, FileChannel.open(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    socket);
            done.get();
            assertThat(rc).isZero();
            assertThat(out).hasContent(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload)));
            assertThat(socket.isOpen()).isFalse();
        }
    }

    @Test
    void theServerClosingEndsTheRelayEvenWhileStdinStaysOpen() throws Exception {
        Pipe sshWrites = Pipe.open();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Pipe.SinkChannel neverClosed = sshWrites.sink()) {
            CompletableFuture<Void> serverSide = serve(server,
                    s -> s.getOutputStream().write("SSH-2.0-bye\r\n".getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            int rc = Relay.run(sshWrites.source(), Channels.newChannel(stdout), connect(server));
            serverSide.get();
            assertThat(rc).isZero();
            assertThat(stdout.toString(StandardCharsets.US_ASCII)).isEqualTo("SSH-2.0-bye\r\n");
        }
    }

    /** A keystroke goes out, and its echo comes back, while ssh's stdin stays open. */
    @Test
    void eachChunkIsPassedOnWithoutWaitingForMore() throws Exception {
        Pipe stdin = Pipe.open();
        Pipe stdout = Pipe.open();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> echo = serve(server, s -> s.getInputStream().transferTo(s.getOutputStream()));
            SocketChannel socket = connect(server);
            CompletableFuture<Integer> relay = inBackground(stdin, stdout, socket);
            for (String key : new String[] {"l", "s", "\r"}) {
                stdin.sink().write(ByteBuffer.wrap(key.getBytes(StandardCharsets.US_ASCII)));
                assertThat(read(stdout.source(), 1)).isEqualTo(key);
            }
            stdin.sink().close();
            assertThat(relay.get()).isZero();
            echo.get();
            assertThat(stdout.source().read(ByteBuffer.allocate(1))).as("stdout closed at the end").isEqualTo(-1);
        }
    }

    /** What the shutdown hook does when ssh hangs up: the relay ends with status 0, not as a failure. */
    @Test
    void theSocketClosedUnderTheRelayIsACleanEnd() throws Exception {
        Pipe stdin = Pipe.open();
        Pipe stdout = Pipe.open();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Pipe.SinkChannel neverClosed = stdin.sink()) {
            CompletableFuture<Void> serverSide = serve(server, s -> {
                s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                s.getInputStream().readAllBytes();
            });
            SocketChannel socket = connect(server);
            CompletableFuture<Integer> relay = inBackground(stdin, stdout, socket);
            assertThat(read(stdout.source(), 5)).isEqualTo("hello");
            socket.close();
            assertThat(relay.get()).isZero();
            serverSide.get();
        }
    }
}
