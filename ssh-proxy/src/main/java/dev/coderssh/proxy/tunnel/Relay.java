package dev.coderssh.proxy.tunnel;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Copies ssh's stdin to a socket and the socket to ssh's stdout, one thread per direction, like
 * {@code nc -N}: EOF on stdin half-closes the socket (the server still sends its last bytes), and
 * EOF from the server ends the relay. Each chunk is written as soon as it is read, so interactive
 * keystrokes are not held back; TCP_NODELAY for the same reason.
 *
 * <p>Channels and direct buffers rather than streams: with file channels on the descriptors the
 * bytes go from one system call to the next without a detour through the Java heap (a stream
 * copies each chunk into a byte[] and back out, about half the relay's user CPU), which matters
 * because the relay shares the CPU with ssh and the SSH server.
 */
public final class Relay {
    /**
     * What a Linux pipe holds, so one read takes all ssh has written. 128 and 256 KiB measured no
     * cheaper (the kernel's copies are the cost); direct memory is bounded by the launcher's small
     * heap limit, and two of these are all the relay allocates.
     */
    static final int BUFFER = 64 * 1024;

    private Relay() {
    }

    /**
     * Runs until the server closes its side (or the socket fails); returns 0 on a clean end,
     * including the socket being closed under it (ssh ended the session). {@code stdout} is closed
     * at the end so ssh sees EOF even if the JVM lingers. {@code socket} must be blocking.
     */
    public static int run(ReadableByteChannel stdin, WritableByteChannel stdout, SocketChannel socket)
            throws IOException {
        socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
        Thread upstream = new Thread(new Upstream(stdin, socket), "relay-stdin");
        // Daemon: a read blocked on stdin must not keep the process alive once the server has
        // ended the session.
        upstream.setDaemon(true);
        upstream.start();
        int status = 0;
        try {
            copy(socket, stdout);
        } catch (IOException e) {
            status = socket.isOpen() ? 1 : 0;
        } finally {
            try {
                stdout.close();
            } finally {
                socket.close();
            }
        }
        return status;
    }

    private static void copy(ReadableByteChannel in, WritableByteChannel out) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
        while (in.read(buf) >= 0) {
            buf.flip();
            while (buf.hasRemaining()) {
                out.write(buf);
            }
            buf.clear();
        }
    }

    private static final class Upstream implements Runnable {
        private final ReadableByteChannel in;
        private final SocketChannel socket;

        Upstream(ReadableByteChannel in, SocketChannel socket) {
            this.in = in;
            this.socket = socket;
        }

        @Override
        public void run() {
            try {
                copy(in, socket);
                socket.shutdownOutput();
            } catch (IOException e) {
                // The socket closed under us (server ended): the downstream thread reports the end.
            }
        }
    }
}
